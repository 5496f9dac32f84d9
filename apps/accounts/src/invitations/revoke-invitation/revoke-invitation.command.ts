import { Command } from '@nestjs/cqrs';
import type { Caller } from '@clientele/contracts';

export class RevokeInvitationCommand extends Command<null> {
  constructor(readonly caller: Caller, readonly clientId: string) {
    super();
  }
}
