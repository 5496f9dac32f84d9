import type { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CreateClientRequest, ErrorCodes, validateContract, type Caller, type ClientResponse, type FieldError } from '@clientele/contracts';
import { CreateClientCommand } from '../clients/create-client/create-client.command';
import { queryPrepared } from '../shared/prepared';

/** What became of a row: its client, or why not (the code and field errors a single create would have answered). */
export type RowOutcome =
  | { row: number; status: 'created'; clientId: string }
  | { row: number; status: 'failed'; code: string; errors: FieldError[] | null };

/**
 * A row's body through what `POST /v1/clients` does: the checks of the
 * service's edge, then the create command. A body that fails the checks is
 * an outcome; a create that is refused throws, as it does for a single create.
 */
export async function createRow(commands: CommandBus, caller: Caller, row: number, body: unknown): Promise<RowOutcome> {
  const { value, errors } = validateContract(CreateClientRequest, body);
  if (errors.length) return { row, status: 'failed', code: ErrorCodes.validationFailed, errors };
  const client = await commands.execute<CreateClientCommand, ClientResponse>(new CreateClientCommand(caller, value));
  return { row, status: 'created', clientId: client.id };
}

/** Settled rows and the import's counts, in one statement, in the transaction of their creates. */
export async function settleRows(em: EntityManager, importId: string, outcomes: readonly RowOutcome[]): Promise<void> {
  const records = outcomes.map((o) =>
    o.status === 'created'
      ? { row_no: o.row, status: o.status, client_id: o.clientId, code: null, errors: null }
      : { row_no: o.row, status: o.status, client_id: null, code: o.code, errors: o.errors },
  );
  await queryPrepared(
    em,
    `with settled as (
       update accounts.client_import_row r
          set status = o.status, client_id = o.client_id, code = o.code, errors = o.errors, processed_at = now()
         from json_to_recordset(?::json) as o (row_no int, status text, client_id uuid, code text, errors jsonb)
        where r.import_id = ? and r.row_no = o.row_no and r.status = 'pending'
        returning r.status)
     update accounts.client_import
        set processed = processed + (select count(*) from settled),
            created = created + (select count(*) from settled where status = 'created'),
            failed = failed + (select count(*) from settled where status = 'failed')
      where id = ?`,
    [JSON.stringify(records), importId, importId],
  );
}
