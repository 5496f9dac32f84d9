import { Command } from '@nestjs/cqrs';
import type { AcceptInvitationPayload, SignInReply } from '@clientele/contracts';

export class AcceptInvitationCommand extends Command<SignInReply> {
  constructor(readonly input: AcceptInvitationPayload) {
    super();
  }
}
