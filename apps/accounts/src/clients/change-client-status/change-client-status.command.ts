import { Command } from '@nestjs/cqrs';
import type { Caller, ClientResponse } from '@clientele/contracts';

/** The *Active client* switch. */
export class ChangeClientStatusCommand extends Command<ClientResponse> {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
    readonly active: boolean,
  ) {
    super();
  }
}
