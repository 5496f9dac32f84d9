import { Command } from '@nestjs/cqrs';
import type { Caller, ExpireInvitationsReply } from '@clientele/contracts';

/** notifications' expiry sweep: the invitations whose deadline passed. */
export class ExpireInvitationsCommand extends Command<ExpireInvitationsReply> {
  constructor(readonly caller: Caller, readonly invitationIds: string[]) {
    super();
  }
}
