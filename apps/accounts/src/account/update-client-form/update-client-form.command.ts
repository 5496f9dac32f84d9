import { Command } from '@nestjs/cqrs';
import type { Caller, ClientFormRequest, ClientFormResponse } from '@clientele/contracts';

export class UpdateClientFormCommand extends Command<ClientFormResponse> {
  constructor(
    readonly caller: Caller,
    readonly form: ClientFormRequest,
  ) {
    super();
  }
}
