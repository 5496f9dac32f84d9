import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ClientAccess } from '../../access/client-access';
import { queryPrepared } from '../../shared/prepared';
import { requireImportingAccount } from '../importing-account';
import { StageClientImportPartCommand } from './stage-client-import-part.command';

/**
 * One part of a file larger than one NATS message. Parts are named by the
 * digest of the whole file and kept per account, so a retried part (or the
 * same file sent again) is stored once; the worker removes parts an hour old.
 */
@CommandHandler(StageClientImportPartCommand)
export class StageClientImportPartHandler implements ICommandHandler<StageClientImportPartCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, payload }: StageClientImportPartCommand): Promise<{ staged: number }> {
    const { accountId } = await requireImportingAccount(this.access, this.em, caller);
    await queryPrepared(
      this.em,
      `insert into accounts.client_import_part (account_id, upload, part, rows, created_at) values (?, ?, ?, ?, now())
       on conflict (account_id, upload, part) do nothing`,
      [accountId, payload.upload, payload.part, JSON.stringify(payload.rows)],
    );
    return { staged: payload.rows.length };
  }
}
