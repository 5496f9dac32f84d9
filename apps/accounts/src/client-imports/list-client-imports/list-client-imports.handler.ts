import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ClientImportResponse, Page } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { decodeCursor, fetchRowsFor, keysetPage } from '../../shared/cursor';
import { queryPrepared } from '../../shared/prepared';
import { IMPORT_COLUMNS, importView, type ImportRecord } from '../client-import.view';
import { ListClientImportsQuery } from './list-client-imports.query';

/** The cursor's sort: newest first. */
const SORT = '-createdAt';

/** The account's imports, newest first, in keyset pages. */
@QueryHandler(ListClientImportsQuery)
export class ListClientImportsHandler implements IQueryHandler<ListClientImportsQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, filter }: ListClientImportsQuery): Promise<Page<ClientImportResponse>> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const limit = filter.limit ?? 50;
    const where = ['account_id = ?'];
    const params: unknown[] = [accountId];
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor, SORT);
      where.push('(created_at, id) < (?::timestamptz, ?::uuid)');
      params.push(cursor.value, cursor.id);
    }
    const rows = await queryPrepared<ImportRecord & { sort_key: string }>(
      this.em,
      `select created_at::text as sort_key, ${IMPORT_COLUMNS} from accounts.client_import
        where ${where.join(' and ')} order by created_at desc, id desc limit ${fetchRowsFor(limit)}`,
      params,
    );
    return keysetPage(rows, limit, SORT, (row) => row.id, importView);
  }
}
