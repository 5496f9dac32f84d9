import { Command } from '@nestjs/cqrs';
import type { Caller, ClientResponse, UpdateOwnAccountRequest } from '@clientele/contracts';

export class UpdateOwnAccountCommand extends Command<ClientResponse> {
  constructor(
    readonly caller: Caller,
    readonly patch: UpdateOwnAccountRequest,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
