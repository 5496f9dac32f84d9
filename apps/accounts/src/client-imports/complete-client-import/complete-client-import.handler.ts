import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventTypes, type ClientImportCompletedData } from '@clientele/contracts';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { queryPrepared } from '../../shared/prepared';
import { CompleteClientImportCommand } from './complete-client-import.command';

/**
 * An import whose rows are all settled becomes done, once: the update takes
 * the import's row lock and only a not-done import changes, so two workers
 * finishing together raise one `accounts.client-import.completed`.
 */
@CommandHandler(CompleteClientImportCommand)
export class CompleteClientImportHandler implements ICommandHandler<CompleteClientImportCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ importId }: CompleteClientImportCommand): Promise<boolean> {
    return this.uow.run(async (em) => {
      const [done] = await queryPrepared<Omit<ClientImportCompletedData, 'importId'>>(
        em,
        `update accounts.client_import set status = 'done', finished_at = now(), claimed_by = null, claimed_until = null
          where id = ? and status <> 'done'
            and not exists (select 1 from accounts.client_import_row where import_id = ? and status = 'pending')
          returning account_id as "accountId", total, created, failed`,
        [importId, importId],
      );
      if (!done) return { result: false, aggregates: [] };
      const data: ClientImportCompletedData = { importId, ...done };
      return { result: true, aggregates: [], events: [{ type: EventTypes.clientImportCompleted, subject: importId, data }] };
    });
  }
}
