import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { queryPrepared } from '../../shared/prepared';
import { isoUtc } from '../../shared/sql-time';
import type { ClientSort, ClientSummary, Page } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { decodeCursor, keysetPage, likePrefix } from '../../shared/cursor';
import { ListClientsQuery } from './list-clients.query';

/** Sort key expressions; each has an index `(parent_id, <expr>, client_id)`. */
const SORT_KEYS: Record<string, { expr: string; cast: string }> = {
  accountName: { expr: 'lower(r.account_name)', cast: 'text' },
  companyName: { expr: 'lower(r.company_name)', cast: 'text' },
  status: { expr: 'r.client_status', cast: 'text' },
  createdAt: { expr: 'r.client_created_at', cast: 'timestamptz' },
};

interface Row {
  /** The sort key as PostgreSQL computed it, so the cursor matches the index exactly. */
  sort_key: string;
  client_id: string;
  client_type: ClientSummary['type'];
  account_name: string;
  company_name: string;
  client_status: ClientSummary['status'];
  client_created_at: string;
  updated_at: string;
  version: number;
}

@QueryHandler(ListClientsQuery)
export class ListClientsHandler implements IQueryHandler<ListClientsQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, filter }: ListClientsQuery): Promise<Page<ClientSummary>> {
    const { accountId: own } = this.access.requireAccountCaller(caller);
    // Your own clients, or (read-only) those of an account below you in the channel.
    const accountId = filter.parent ?? own;
    await this.access.requireCanListClientsOf(caller, accountId);
    const sort: ClientSort = filter.sort ?? 'createdAt';
    const descending = sort.startsWith('-');
    const key = SORT_KEYS[sort.replace('-', '')];
    const limit = filter.limit ?? 50;

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
    // The limit is a parameter too: one prepared statement per sort and set of filters.
    params.push(limit + 1);
    const rows = await queryPrepared<Row>(
      this.em,
      `select ${key.expr}::text as sort_key, r.client_id, r.client_type, r.account_name, r.company_name, r.client_status, r.client_created_at,
              a.updated_at, a.version
         from accounts.relationship r join accounts.account a on a.id = r.client_id
        where ${where.join(' and ')}
        order by ${key.expr} ${direction}, r.client_id ${direction}
        limit ?::int`,
      params,
    );
    return keysetPage(rows, limit, sort, (row) => row.client_id, (row) => ({
        id: row.client_id,
        type: row.client_type,
        accountName: row.account_name,
        companyName: row.company_name,
        status: row.client_status,
        createdAt: isoUtc(row.client_created_at),
        updatedAt: isoUtc(row.updated_at),
        version: row.version,
      }));
  }
}
