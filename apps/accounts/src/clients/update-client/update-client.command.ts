import { Command } from '@nestjs/cqrs';
import type { Caller, ClientResponse, UpdateClientRequest } from '@clientele/contracts';

export class UpdateClientCommand extends Command<ClientResponse> {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
    readonly patch: UpdateClientRequest,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
