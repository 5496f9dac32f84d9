import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type { ClientImportAccepted, CreateClientImportPayload } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { currentAuditScope } from '../../audit/audit-scope';
import { AuditTrail } from '../../audit/audit-trail';
import { IncompleteImportFileError } from '../../domain/domain-error';
import { newId } from '../../domain/ids';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { queryPrepared } from '../../shared/prepared';
import { ClientImportWorker } from '../client-import-worker';
import { requireImportingAccount } from '../importing-account';
import { CreateClientImportCommand } from './create-client-import.command';

/**
 * Stores the job, its rows and its audit entry in one transaction (inside
 * the Idempotency-Key's, when the request has one), with who started it and
 * from where, and wakes this replica's worker. Rows are not checked here:
 * each is checked when it is processed, by the command of a single create.
 */
@CommandHandler(CreateClientImportCommand)
export class CreateClientImportHandler implements ICommandHandler<CreateClientImportCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
    private readonly uow: UnitOfWork,
    private readonly trail: AuditTrail,
    private readonly worker: ClientImportWorker,
  ) {}

  async execute({ caller, payload }: CreateClientImportCommand): Promise<ClientImportAccepted> {
    const { accountId } = await requireImportingAccount(this.access, this.em, caller);
    const rows = payload.rows ?? (await this.stagedRows(accountId, payload));
    const id = newId();
    // Each row's create runs later in this scope again, so its audit entry names who imported it.
    const { actor, ip, userAgent, requestId } = currentAuditScope();
    await this.uow.transaction(async (em) => {
      await queryPrepared(
        em,
        `insert into accounts.client_import (id, account_id, caller, actor, ip, user_agent, request_id, status, total, created_at)
         values (?, ?, ?, ?, ?, ?, ?, 'queued', ?, now())`,
        [id, accountId, JSON.stringify(caller), JSON.stringify(actor), ip ?? null, userAgent ?? null, requestId ?? null, rows.length],
      );
      // Every row in one statement, numbered in file order from 1.
      await queryPrepared(
        em,
        `insert into accounts.client_import_row (import_id, row_no, body)
         select ?, t.ord, t.value from json_array_elements(?::json) with ordinality as t (value, ord)`,
        [id, JSON.stringify(rows)],
      );
      await this.trail.record(em, {
        accountId,
        action: 'client-import.created',
        target: { type: 'client-import', id },
        changes: { total: { from: null, to: rows.length } },
      });
    });
    this.worker.nudge();
    return { id, status: 'queued', total: rows.length };
  }

  /**
   * The rows of a file staged in parts, in file order. All parts must be
   * there and add up to what the gateway sent (their digest is the upload's
   * name); anything else is a file to send again.
   */
  private async stagedRows(accountId: string, { upload, parts, total }: CreateClientImportPayload): Promise<object[]> {
    const staged = await queryPrepared<{ rows: object[] }>(
      this.em,
      `select rows from accounts.client_import_part where account_id = ? and upload = ? order by part`,
      [accountId, upload],
    );
    const rows = staged.flatMap((part) => part.rows);
    const digest = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
    if (staged.length !== parts || rows.length !== total || digest !== upload) {
      throw new IncompleteImportFileError();
    }
    return rows;
  }
}
