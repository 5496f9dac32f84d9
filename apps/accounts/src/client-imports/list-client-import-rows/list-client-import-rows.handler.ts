import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ClientImportRowResult, Page } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { InvalidCursorError, NotFoundError } from '../../domain/domain-error';
import { isUuid } from '../../domain/ids';
import { decodeCursor, fetchRowsFor, keysetPage } from '../../shared/cursor';
import { queryPrepared } from '../../shared/prepared';
import { importRowView, type ImportRowRecord } from '../client-import.view';
import { ListClientImportRowsQuery } from './list-client-import-rows.query';

/** The cursor's sort: file order. */
const SORT = 'row';

/**
 * The processed rows of one of the account's imports, in file order: a row
 * appears once it is created or failed, so a page read while the import runs
 * shows what is settled so far.
 */
@QueryHandler(ListClientImportRowsQuery)
export class ListClientImportRowsHandler implements IQueryHandler<ListClientImportRowsQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, filter }: ListClientImportRowsQuery): Promise<Page<ClientImportRowResult>> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const importId = filter.id;
    const [own] = isUuid(importId)
      ? await queryPrepared<{ id: string }>(this.em, `select id from accounts.client_import where id = ? and account_id = ?`, [importId, accountId])
      : [];
    if (!own) throw new NotFoundError('import');
    const limit = filter.limit ?? 50;
    let after = 0;
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor, SORT);
      if (cursor.id !== importId || !/^\d{1,7}$/.test(cursor.value)) {
        throw new InvalidCursorError([{ field: 'cursor', message: 'cursor must be a nextCursor returned by this list' }]);
      }
      after = Number(cursor.value);
    }
    const rows = await queryPrepared<ImportRowRecord & { sort_key: string }>(
      this.em,
      `select row_no::text as sort_key, row_no as row, status, client_id, code, errors from accounts.client_import_row
        where import_id = ? and row_no > ? and status <> 'pending' order by row_no limit ${fetchRowsFor(limit)}`,
      [importId, after],
    );
    // The cursor's id is the import's: rows have no ids of their own.
    return keysetPage(rows, limit, SORT, () => importId, importRowView);
  }
}
