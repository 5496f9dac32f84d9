import { Command } from '@nestjs/cqrs';
import type { Caller, ClientResponse, CreateClientRequest } from '@clientele/contracts';

export class CreateClientCommand extends Command<ClientResponse> {
  constructor(
    readonly caller: Caller,
    readonly body: CreateClientRequest,
  ) {
    super();
  }
}
