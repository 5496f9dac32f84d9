import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { isoUtc } from '../../shared/sql-time';
import type { ClientSummary, Page } from '@clientele/contracts';
import { decodeCursor, keysetPage } from '../../shared/cursor';
import { requireOperator } from '../../access/operator';
import { ListPartnersQuery } from './list-partners.query';

interface Row {
  sort_key: string;
  id: string;
  type: ClientSummary['type'];
  account_name: string;
  company_name: string;
  status: ClientSummary['status'];
  owner_status: ClientSummary['ownerStatus'];
  created_at: string;
  updated_at: string;
  version: number;
}

@QueryHandler(ListPartnersQuery)
export class ListPartnersHandler implements IQueryHandler<ListPartnersQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ caller, limit, cursor }: ListPartnersQuery): Promise<Page<ClientSummary>> {
    requireOperator(caller);
    const params: unknown[] = [];
    let after = '';
    if (cursor) {
      const position = decodeCursor(cursor, 'createdAt');
      after = 'and (created_at, id) > (?::timestamptz, ?::uuid)';
      params.push(position.value, position.id);
    }
    const rows = await this.em.execute<Row[]>(
      `select created_at::text as sort_key, id, type, account_name, company_name, status, created_at, updated_at, version,
              (select u.status from accounts."user" u where u.account_id = a.id and u.is_owner order by u.created_at limit 1) as owner_status
         from accounts.account a where is_partner ${after} order by created_at, id limit ${limit + 1}`,
      params,
    );
    return keysetPage(rows, limit, 'createdAt', (row) => row.id, (row) => ({
        id: row.id,
        type: row.type,
        accountName: row.account_name,
        companyName: row.company_name,
        status: row.status,
        ownerStatus: row.owner_status,
        createdAt: isoUtc(row.created_at),
        updatedAt: isoUtc(row.updated_at),
        version: row.version,
      }));
  }
}
