import { Command } from '@nestjs/cqrs';
import type { Caller, InvitationLinkWanted, MintedInvitationLinks } from '@clientele/contracts';

/** notifications asks for fresh links right before it e-mails them, a batch at a time. */
export class MintInvitationLinksCommand extends Command<MintedInvitationLinks> {
  constructor(readonly caller: Caller, readonly links: InvitationLinkWanted[]) {
    super();
  }
}
