import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Page, ServicePlanResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { decodeCursor, keysetPage } from '../../shared/cursor';
import { isoUtc } from '../../shared/sql-time';
import { ListServicePlansQuery } from './list-service-plans.query';

interface Row {
  sort_key: string;
  id: string;
  name: string;
  product: string;
  unit_type: string;
  active: boolean;
  created_at: string;
  updated_at: string;
  version: number;
}

/** The caller's catalogue, oldest first, keyset-paginated. */
@QueryHandler(ListServicePlansQuery)
export class ListServicePlansHandler implements IQueryHandler<ListServicePlansQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, filter }: ListServicePlansQuery): Promise<Page<ServicePlanResponse>> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const limit = filter.limit ?? 50;
    const where = ['account_id = ?'];
    const params: unknown[] = [accountId];
    if (filter.active) {
      where.push('active = ?');
      params.push(filter.active === 'true');
    }
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor, 'createdAt');
      where.push('(created_at, id) > (?::timestamptz, ?::uuid)');
      params.push(cursor.value, cursor.id);
    }
    const rows = await this.em.execute<Row[]>(
      `select created_at::text as sort_key, * from accounts.service_plan where ${where.join(' and ')}
        order by created_at, id limit ${limit + 1}`,
      params,
    );
    return keysetPage(rows, limit, 'createdAt', (row) => row.id, (row) => ({
        id: row.id,
        name: row.name,
        product: row.product,
        unitType: row.unit_type,
        active: row.active,
        createdAt: isoUtc(row.created_at),
        updatedAt: isoUtc(row.updated_at),
        version: row.version,
      }));
  }
}
