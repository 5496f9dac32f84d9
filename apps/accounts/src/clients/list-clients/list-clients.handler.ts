import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { queryPrepared } from '../../shared/prepared';
import { isoUtc } from '../../shared/sql-time';
import type { ClientSummary, Page } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { keysetPage } from '../../shared/cursor';
import { clientPageSql } from './client-filter';
import { ListClientsQuery } from './list-clients.query';

interface Row {
  /** The sort key as PostgreSQL computed it, so the cursor matches the index exactly. */
  sort_key: string;
  client_id: string;
  client_type: ClientSummary['type'];
  account_name: string;
  company_name: string;
  client_status: ClientSummary['status'];
  owner_status: ClientSummary['ownerStatus'];
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
    const limit = filter.limit ?? 50;
    const page = clientPageSql(accountId, filter);
    // The limit is a parameter too: one prepared statement per sort and set of filters.
    const rows = await queryPrepared<Row>(
      this.em,
      `select ${page.sortKey}::text as sort_key, r.client_id, r.client_type, r.account_name, r.company_name, r.client_status, r.client_created_at,
              r.owner_status, a.updated_at, a.version
         from accounts.relationship r join accounts.account a on a.id = r.client_id
        where ${page.where}
        order by ${page.orderBy}
        limit ?::int`,
      [...page.params, limit + 1],
    );
    return keysetPage(rows, limit, page.sort, (row) => row.client_id, (row) => ({
        id: row.client_id,
        type: row.client_type,
        accountName: row.account_name,
        companyName: row.company_name,
        status: row.client_status,
        ownerStatus: row.owner_status,
        createdAt: isoUtc(row.client_created_at),
        updatedAt: isoUtc(row.updated_at),
        version: row.version,
      }));
  }
}
