import { createHash } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/** Beyond this many distinct texts, statements are sent unnamed (parsed and planned each time). */
const MAX_NAMED = 2_000;
const names = new Map<string, string>();

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
export async function queryPrepared<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  const name = nameOf(sql);
  const query = em.getConnection().getKnex().raw(sql, params as readonly Knex.RawBinding[]);
  if (name) query.options({ name });
  const transaction = em.getTransactionContext();
  if (transaction) query.transacting(transaction);
  const result: { rows: T[] } = await query;
  return result.rows;
}

function nameOf(sql: string): string | undefined {
  let name = names.get(sql);
  if (!name && names.size < MAX_NAMED) {
    name = `q${createHash('sha1').update(sql).digest('base64url').slice(0, 22)}`;
    names.set(sql, name);
  }
  return name;
}
