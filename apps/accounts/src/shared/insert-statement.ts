import type { EntityManager } from '@mikro-orm/postgresql';

/** What an insert into one entity's table needs, worked out once per table from the ORM's metadata. */
interface TableInsert {
  /** `schema."table" (col, col, …)` */
  into: string;
  columns: { name: string; json: boolean }[];
}

const tables = new WeakMap<object, TableInsert>();

/**
 * `with t1 as (insert …), t2 as (insert …) select 1` for new entities of any
 * mapped tables, columns and conversions taken from the ORM's metadata.
 */
export function insertStatement(em: EntityManager, entities: object[]): { sql: string; params: unknown[] } {
  const byClass = new Map<string, object[]>();
  for (const entity of entities) {
    const name = entity.constructor.name;
    const rows = byClass.get(name);
    if (rows) rows.push(entity);
    else byClass.set(name, [entity]);
  }
  const params: unknown[] = [];
  const parts = [...byClass].map(([name, rows], i) => {
    const table = tableInsert(em, name);
    const values = rows.map((row) => {
      const cells = table.columns.map(({ name: prop, json }) => {
        const value = (row as Record<string, unknown>)[prop];
        if (value === undefined) return 'default';
        params.push(value !== null && json ? JSON.stringify(value) : value);
        return '?';
      });
      return `(${cells.join(', ')})`;
    });
    return `t${i} as (insert into ${table.into} values ${values.join(', ')})`;
  });
  return { sql: `with ${parts.join(', ')} select 1`, params };
}

/** Every create asks for the same few tables: their column lists are built once. */
function tableInsert(em: EntityManager, entityName: string): TableInsert {
  const meta = em.getMetadata().get(entityName);
  let table = tables.get(meta);
  if (!table) {
    const platform = em.getPlatform();
    // Database-generated columns (the outbox's sequence) are left to the database.
    const props = meta.props.filter((p) => p.persist !== false && !(p.primary && p.autoincrement) && p.fieldNames?.length === 1);
    const name = `${meta.schema ?? em.config.get('schema')}.${platform.quoteIdentifier(meta.tableName)}`;
    table = {
      into: `${name} (${props.map((p) => platform.quoteIdentifier(p.fieldNames[0])).join(', ')})`,
      columns: props.map((p) => ({ name: p.name, json: isJson(p) })),
    };
    tables.set(meta, table);
  }
  return table;
}

const isJson = (p: { type?: string; columnTypes?: string[] }) => /^json/i.test(p.type ?? '') || /^json/i.test(p.columnTypes?.[0] ?? '');
