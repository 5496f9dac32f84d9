import { createHash } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/** Beyond this many distinct texts, statements are sent unnamed (parsed and planned each time). */
const MAX_NAMED = 2_000;

/**
 * Runs `sql` (with `?` placeholders) as a named prepared statement on the
 * connection the entity manager would use (its transaction's, if it is in
 * one): PostgreSQL parses and plans it once per connection and afterwards
 * only binds and executes, where a statement with its values written in
 * (what `em.execute` sends) is parsed and planned every time. The name is a
 * digest of the text, so one text always has one name. For statements of a
 * bounded set of texts; list the columns a statement returns (no `*`), so a
 * column added by a migration does not change a prepared statement's result.
 */
export async function queryPrepared<T>(em: EntityManager, sql: string, params: readonly unknown[], rows: RowMode = 'objects'): Promise<T[]> {
  const statement = statementOf(sql);
  const knex = em.getConnection().getKnex();
  const transaction = em.getTransactionContext();
  const rowMode = rows === 'arrays' ? { rowMode: 'array' } : {};
  if (!statement.text || transaction) {
    const query = knex.raw(sql, params as readonly Knex.RawBinding[]);
    query.options({ ...(statement.name ? { name: statement.name } : {}), ...rowMode });
    if (transaction) query.transacting(transaction);
    const result: { rows: T[] } = await query;
    return result.rows;
  }
  // Outside a transaction, straight to the driver on a connection of the same pool: knex's query
  // builder, runner and placeholder rewriting on every call were a tenth of a read's CPU in accounts.
  const client = knex.client as DriverPool;
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query<T>({ ...(statement.name ? { name: statement.name } : {}), text: statement.text, values: params, ...rowMode });
    return result.rows;
  } finally {
    await client.releaseConnection(connection);
  }
}

/**
 * Rows as objects keyed by column name, or as arrays in the order the
 * statement lists its columns: for a statement returning many rows, arrays
 * spare the driver building an object per row (a page of a hundred clients).
 */
export type RowMode = 'objects' | 'arrays';

/** The pool knex keeps for MikroORM, and the pg connections it hands out. */
interface DriverPool {
  acquireConnection(): Promise<{ query<R>(config: { name?: string; text: string; values: readonly unknown[]; rowMode?: string }): Promise<{ rows: R[] }> }>;
  releaseConnection(connection: unknown): Promise<void>;
}

interface Statement {
  /** The prepared statement's name; none beyond MAX_NAMED texts. */
  name?: string;
  /** The text with `$1, $2, …` for its `?` placeholders; none when it has `??` or `\?`, which knex reads otherwise. */
  text?: string;
}

const statements = new Map<string, Statement>();

function statementOf(sql: string): Statement {
  let statement = statements.get(sql);
  if (statement) return statement;
  let n = 0;
  statement = { text: /\?\?|\\\?/.test(sql) ? undefined : sql.replace(/\?/g, () => `$${++n}`) };
  if (statements.size < MAX_NAMED) {
    statement.name = `q${createHash('sha1').update(sql).digest('base64url').slice(0, 22)}`;
    statements.set(sql, statement);
  }
  return statement;
}
