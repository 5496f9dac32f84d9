import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { queryPrepared } from '../../shared/prepared';
import { isoUtc } from '../../shared/sql-time';
import type { ClientSummary, Page } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { fetchRowsFor, keysetPageBy } from '../../shared/cursor';
import { clientPageSql } from './client-filter';
import { ListClientsQuery } from './list-clients.query';

/** A page's columns, in the order of `Row`. */
const COLUMNS = ['r.client_id', 'r.client_type', 'r.account_name', 'r.company_name', 'r.client_status', 'r.owner_status', 'r.client_created_at', 'a.updated_at', 'a.version'];

/**
 * A row of the page as an array (a hundred objects built by the driver only to
 * be read once cost more than the rows' values), then the sort key as
 * PostgreSQL computed it when it is not one of the columns (a lowered name),
 * so the cursor matches the index exactly.
 */
type Row = [
  clientId: string,
  type: ClientSummary['type'],
  accountName: string,
  companyName: string,
  status: ClientSummary['status'],
  ownerStatus: ClientSummary['ownerStatus'],
  createdAt: string,
  updatedAt: string,
  version: number,
  sortKey?: string,
];

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
    const { page, sql, sortKeyAt } = clientPageStatement(accountId, filter, limit);
    const rows = await queryPrepared<Row>(this.em, sql, page.params, 'arrays');
    return keysetPageBy(rows, limit, page.sort, (row) => row[sortKeyAt] as string, (row) => row[0], (row) => ({
      id: row[0],
      type: row[1],
      accountName: row[2],
      companyName: row[3],
      status: row[4],
      ownerStatus: row[5],
      createdAt: isoUtc(row[6]),
      updatedAt: isoUtc(row[7]),
      version: row[8],
    }));
  }
}

/**
 * A page's statement: one prepared statement per sort, set of filters and
 * fetch size (the limit is written in, `fetchRowsFor`), and where in a row
 * the sort key is.
 */
export function clientPageStatement(accountId: string, filter: ListClientsQuery['filter'], limit: number) {
  const page = clientPageSql(accountId, filter);
  const sortKeyAt = page.sortKeyColumn ? COLUMNS.indexOf(`r.${page.sortKeyColumn}`) : COLUMNS.length;
  const sql = `select ${COLUMNS.join(', ')}${page.sortKeyColumn ? '' : `, ${page.sortKey}::text`}
         from accounts.relationship r join accounts.account a on a.id = r.client_id
        where ${page.where}
        order by ${page.orderBy}
        limit ${fetchRowsFor(limit)}`;
  return { page, sql, sortKeyAt };
}
