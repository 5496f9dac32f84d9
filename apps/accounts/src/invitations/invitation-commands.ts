import { Command, Query } from '@nestjs/cqrs';
import type {
  AcceptInvitationPayload,
  Caller,
  ClientResponse,
  ExpireInvitationsReply,
  InvitationPreview,
  MintedInvitationLink,
  SignInReply,
} from '@clientele/contracts';

/** notifications asks for a fresh link right before it e-mails it. */
export class MintInvitationLinkCommand extends Command<MintedInvitationLink> {
  constructor(readonly caller: Caller, readonly invitationId: string, readonly purpose: 'invitation' | 'reminder') {
    super();
  }
}

/** notifications' expiry sweep: the invitations whose deadline passed. */
export class ExpireInvitationsCommand extends Command<ExpireInvitationsReply> {
  constructor(readonly caller: Caller, readonly invitationIds: string[]) {
    super();
  }
}

export class PreviewInvitationQuery extends Query<InvitationPreview> {
  constructor(readonly token: string) {
    super();
  }
}

export class AcceptInvitationCommand extends Command<SignInReply> {
  constructor(readonly input: AcceptInvitationPayload) {
    super();
  }
}

export class ResendInvitationCommand extends Command<ClientResponse> {
  constructor(readonly caller: Caller, readonly clientId: string) {
    super();
  }
}

export class RevokeInvitationCommand extends Command<null> {
  constructor(readonly caller: Caller, readonly clientId: string) {
    super();
  }
}
