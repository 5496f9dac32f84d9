import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { OutboxModule } from '../outbox/outbox.module';
import { AcceptInvitationHandler } from './accept-invitation/accept-invitation.handler';
import { ExpireInvitationsHandler } from './expire-invitations/expire-invitations.handler';
import { InvitationsController } from './invitations.controller';
import { MintInvitationLinksHandler } from './mint-invitation-links/mint-invitation-links.handler';
import { PreviewInvitationHandler } from './preview-invitation/preview-invitation.handler';
import { ResendInvitationHandler } from './resend-invitation/resend-invitation.handler';
import { RevokeInvitationHandler } from './revoke-invitation/revoke-invitation.handler';

const commandHandlers = [
  MintInvitationLinksHandler,
  ExpireInvitationsHandler,
  AcceptInvitationHandler,
  ResendInvitationHandler,
  RevokeInvitationHandler,
];
const queryHandlers = [PreviewInvitationHandler];

@Module({
  imports: [ClientsModule, OutboxModule],
  controllers: [InvitationsController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class InvitationsModule {}
