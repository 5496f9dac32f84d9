import { Command } from '@nestjs/cqrs';
import type { Caller, ClientResponse } from '@clientele/contracts';

export class ResendInvitationCommand extends Command<ClientResponse> {
  constructor(readonly caller: Caller, readonly clientId: string) {
    super();
  }
}
