import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ClientImportResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { isUuid } from '../../domain/ids';
import { queryPrepared } from '../../shared/prepared';
import { IMPORT_COLUMNS, importView, type ImportRecord } from '../client-import.view';
import { GetClientImportQuery } from './get-client-import.query';

/** One of the account's own imports; another account's is not found. */
@QueryHandler(GetClientImportQuery)
export class GetClientImportHandler implements IQueryHandler<GetClientImportQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, importId }: GetClientImportQuery): Promise<ClientImportResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const [row] = isUuid(importId)
      ? await queryPrepared<ImportRecord>(this.em, `select ${IMPORT_COLUMNS} from accounts.client_import where id = ? and account_id = ?`, [importId, accountId])
      : [];
    if (!row) throw new NotFoundError('import');
    return importView(row);
  }
}
