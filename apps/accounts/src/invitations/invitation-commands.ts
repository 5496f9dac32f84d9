import { Command, Query } from '@nestjs/cqrs';
import type {
  AcceptInvitationPayload,
  Caller,
  ClientResponse,
  ExpireInvitationsReply,
  InvitationPreview,
  InvitationLinkWanted,
  MintedInvitationLinks,
  SignInReply,
} from '@clientele/contracts';

/** notifications asks for fresh links right before it e-mails them, a batch at a time. */
export class MintInvitationLinksCommand extends Command<MintedInvitationLinks> {
  constructor(readonly caller: Caller, readonly links: InvitationLinkWanted[]) {
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
