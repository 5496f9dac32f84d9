import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { queryPrepared } from '../../shared/prepared';
import { createRow, settleRows, type RowOutcome } from '../row-outcome';
import { ImportClientRowsCommand } from './import-client-rows.command';

/**
 * The fast path of an import: a batch of rows locked together, each created
 * by the command of `POST /v1/clients`, and all of them marked, in one
 * transaction. A row failing the body checks is settled as failed; a create
 * that is refused may have aborted the transaction (a unique index says no),
 * so the whole batch rolls back and is done again row by row
 * (`ImportClientRowCommand`, each row in a savepoint of its own). Either way
 * a create and its row's mark commit together: a row is created once.
 */
@CommandHandler(ImportClientRowsCommand)
export class ImportClientRowsHandler implements ICommandHandler<ImportClientRowsCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly commands: CommandBus,
  ) {}

  async execute({ importId, rows, caller }: ImportClientRowsCommand): Promise<number | 'one-by-one'> {
    try {
      return await this.uow.transaction(async (em) => {
        const pending = await queryPrepared<{ row_no: number; body: unknown }>(
          em,
          `select row_no, body from accounts.client_import_row
            where import_id = ? and row_no = any(?::int[]) and status = 'pending' order by row_no for update`,
          [importId, `{${rows.join(',')}}`],
        );
        const outcomes: RowOutcome[] = [];
        for (const { row_no: row, body } of pending) outcomes.push(await createRow(this.commands, caller, row, body));
        if (outcomes.length) await settleRows(em, importId, outcomes);
        return outcomes.length;
      });
    } catch {
      // Whatever it was (a refusal, a lost race, the database away, even a commit whose outcome is unknown), the
      // careful path sorts it out: it takes only rows still pending, and throws if the database is away.
      return 'one-by-one';
    }
  }
}
