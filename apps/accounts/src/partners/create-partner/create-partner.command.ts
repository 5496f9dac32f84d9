import { Command } from '@nestjs/cqrs';
import type { Caller, ClientResponse, CreatePartnerRequest } from '@clientele/contracts';

export class CreatePartnerCommand extends Command<ClientResponse> {
  constructor(
    readonly caller: Caller,
    readonly body: CreatePartnerRequest,
  ) {
    super();
  }
}
