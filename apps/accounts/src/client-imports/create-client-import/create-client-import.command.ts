import { Command } from '@nestjs/cqrs';
import type { Caller, ClientImportAccepted, CreateClientImportPayload } from '@clientele/contracts';

/** Stores an import and its rows as one job, answered at once; the rows are created in the background. */
export class CreateClientImportCommand extends Command<ClientImportAccepted> {
  constructor(
    readonly caller: Caller,
    readonly payload: CreateClientImportPayload,
  ) {
    super();
  }
}
