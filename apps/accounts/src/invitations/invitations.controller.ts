import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AcceptInvitationPayload,
  AccountsRpc,
  ClientIdRequest,
  ExpireInvitationsPayload,
  InvitationTokenPayload,
  MintInvitationLinksPayload,
  type Caller,
} from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { AcceptInvitationCommand } from './accept-invitation/accept-invitation.command';
import { ExpireInvitationsCommand } from './expire-invitations/expire-invitations.command';
import { MintInvitationLinksCommand } from './mint-invitation-links/mint-invitation-links.command';
import { PreviewInvitationQuery } from './preview-invitation/preview-invitation.query';
import { ResendInvitationCommand } from './resend-invitation/resend-invitation.command';
import { RevokeInvitationCommand } from './revoke-invitation/revoke-invitation.command';

@Controller()
export class InvitationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(AccountsRpc.previewInvitation)
  preview(@Payload() { token }: InvitationTokenPayload) {
    return this.queries.execute(new PreviewInvitationQuery(token));
  }

  @MessagePattern(AccountsRpc.acceptInvitation)
  accept(@Payload() input: AcceptInvitationPayload) {
    return this.commands.execute(new AcceptInvitationCommand(input));
  }

  @MessagePattern(AccountsRpc.resendInvitation)
  resend(@Payload() { id }: ClientIdRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new ResendInvitationCommand(caller, id));
  }

  @MessagePattern(AccountsRpc.revokeInvitation)
  revoke(@Payload() { id }: ClientIdRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new RevokeInvitationCommand(caller, id));
  }

  @MessagePattern(AccountsRpc.mintInvitationLink)
  mint(@Payload() { links }: MintInvitationLinksPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new MintInvitationLinksCommand(caller, links));
  }

  @MessagePattern(AccountsRpc.expireInvitations)
  expire(@Payload() { invitationIds }: ExpireInvitationsPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new ExpireInvitationsCommand(caller, invitationIds));
  }
}
