import { Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { ErrorCodes, type Caller } from '@clientele/contracts';
import { expectedErrorBody, isUnavailableError } from '@clientele/messaging';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { queryPrepared } from '../../shared/prepared';
import { createRow, settleRows, type RowOutcome } from '../row-outcome';
import { ImportClientRowCommand, type RowResult } from './import-client-row.command';

/**
 * One row of an import, exactly once: the row is locked and must still be
 * pending, the client is created by the command of `POST /v1/clients` (the
 * same checks, events and invitation e-mail) and the row is marked in that
 * same transaction. A worker that dies before the commit leaves the row
 * pending and nothing created; after it, the row is settled and no worker
 * takes it again. A refused create (a taken name, a field the parent's form
 * requires) fails its row only. The careful path, for rows of a batch that
 * `ImportClientRowsCommand` could not take at once.
 */
@CommandHandler(ImportClientRowCommand)
export class ImportClientRowHandler implements ICommandHandler<ImportClientRowCommand> {
  private readonly log = new Logger(ImportClientRowHandler.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly commands: CommandBus,
  ) {}

  execute({ importId, row, caller }: ImportClientRowCommand): Promise<RowResult> {
    return this.uow.transaction(async (em) => {
      const [pending] = await queryPrepared<{ body: unknown }>(
        em,
        `select body from accounts.client_import_row where import_id = ? and row_no = ? and status = 'pending' for update`,
        [importId, row],
      );
      if (!pending) return 'settled';
      const outcome = await this.create(em, caller, row, pending.body, importId);
      await settleRows(em, importId, [outcome]);
      return outcome.status;
    });
  }

  private async create(em: EntityManager, caller: Caller, row: number, body: unknown, importId: string): Promise<RowOutcome> {
    try {
      // A savepoint: a refused create takes back what it wrote, and the row's outcome is still recorded.
      return await em.transactional(() => createRow(this.commands, caller, row, body));
    } catch (error) {
      const refusal = expectedErrorBody(error);
      if (refusal && refusal.status < 500) return { row, status: 'failed', code: refusal.code, errors: refusal.details ?? null };
      // The database away for now: the row stays pending, and the worker tries it again later.
      if (isUnavailableError(error)) throw error;
      // Anything else would fail the same way every time: the row fails with an error id, and the import goes on.
      const errorId = randomUUID();
      this.log.error({ msg: 'an import row failed unexpectedly', errorId, importId, row, err: String(error) }, (error as Error)?.stack);
      return { row, status: 'failed', code: ErrorCodes.internal, errors: [{ field: '', message: `Unexpected error; quote error id ${errorId}.` }] };
    }
  }
}
