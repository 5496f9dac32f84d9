import type { ClientSort, ListClientsRequest } from '@clientele/contracts';
import { decodeCursor, likePrefix } from '../../shared/cursor';

/**
 * Sort key expressions; each has an index `(parent_id, <expr>, client_id)`.
 * A key that is a column of the relationship names it: its text as
 * PostgreSQL sends it is the cursor's value, with no second copy selected.
 */
const SORT_KEYS: Record<string, { expr: string; cast: string; column?: string }> = {
  accountName: { expr: 'lower(r.account_name)', cast: 'text' },
  companyName: { expr: 'lower(r.company_name)', cast: 'text' },
  status: { expr: 'r.client_status', cast: 'text', column: 'client_status' },
  createdAt: { expr: 'r.client_created_at', cast: 'timestamptz', column: 'client_created_at' },
};

/** The where clause, sort key and order of a page of an account's clients (`r` is the relationship). */
export interface ClientPageSql {
  sort: ClientSort;
  /** The sort key's expression, to select as the cursor's value. */
  sortKey: string;
  /** The relationship's column the sort key is, if it is one (`client_created_at`): select it and read the cursor's value from it. */
  sortKeyColumn?: string;
  where: string;
  orderBy: string;
  params: unknown[];
}

/**
 * The filters, sort and keyset position of the clients list, shared by the
 * JSON list and the CSV export so both show the same clients in the same
 * order. Values are parameters: one prepared statement per sort and set of filters.
 */
export function clientPageSql(accountId: string, filter: Pick<ListClientsRequest, 'sort' | 'status' | 'type' | 'q' | 'cursor'>): ClientPageSql {
  const sort: ClientSort = filter.sort ?? 'createdAt';
  const descending = sort.startsWith('-');
  const key = SORT_KEYS[sort.replace('-', '')];
  const where = [`r.parent_id = ?`, `r.status = 'active'`];
  const params: unknown[] = [accountId];
  if (filter.status) {
    where.push('r.client_status = ?');
    params.push(filter.status);
  }
  if (filter.type) {
    where.push('r.client_type = ?');
    params.push(filter.type);
  }
  if (filter.q) {
    where.push(`(lower(r.account_name) like ? or lower(r.company_name) like ?)`);
    params.push(likePrefix(filter.q), likePrefix(filter.q));
  }
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor, sort);
    where.push(`(${key.expr}, r.client_id) ${descending ? '<' : '>'} (?::${key.cast}, ?::uuid)`);
    params.push(cursor.value, cursor.id);
  }
  const direction = descending ? 'desc' : 'asc';
  return { sort, sortKey: key.expr, sortKeyColumn: key.column, where: where.join(' and '), orderBy: `${key.expr} ${direction}, r.client_id ${direction}`, params };
}
