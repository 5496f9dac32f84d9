import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  EventTypes,
  type ClientCreatedData,
  type CloudEvent,
  type OwnerActivatedData,
  type OwnerInvitationClosedData,
  type OwnerInvitationResentData,
  type OwnerInvitedData,
  type RelationshipRequestedData,
} from '@clientele/contracts';
import { NotificationsConfig } from '../config';
import { EmailQueue } from '../emails/email-queue';
import { EmailSender } from '../emails/email-sender';
import { EventInbox } from '../inbox/event-inbox';

/**
 * Account events become e-mail jobs and deadlines, each recorded once with
 * the event id in the same transaction (a redelivery changes nothing).
 */
@Controller()
export class ClientEventsController {
  constructor(
    private readonly inbox: EventInbox,
    private readonly queue: EmailQueue,
    private readonly sender: EmailSender,
    private readonly config: NotificationsConfig,
  ) {}

  @EventPattern(EventTypes.clientCreated)
  async clientCreated(@Payload() event: CloudEvent<ClientCreatedData>): Promise<void> {
    const { invitation, owner, clientId, language } = event.data;
    await this.inbox.handleOnce(event, async (em) => {
      // Created with a password chosen for them (seed 003): the owner is asked to choose their own.
      if (owner.status === 'active') {
        await this.queue.enqueuePasswordLink(em, { kind: 'password-setup', userId: owner.userId, clientId, recipient: owner.email });
      }
      if (!invitation) return;
      await this.queue.enqueueInvitation(em, {
        kind: 'invitation', clientId, invitationId: invitation.invitationId, sendAt: invitation.sendAt, recipient: owner.email, locale: language,
      });
    });
    this.inbox.afterCommit(() => this.sender.nudge());
  }

  @EventPattern(EventTypes.ownerInvitationResent)
  async invitationResent(@Payload() event: CloudEvent<OwnerInvitationResentData>): Promise<void> {
    const { invitationId, clientId } = event.data;
    await this.inbox.handleOnce(event, async (em) => {
      await this.queue.closeInvitation(em, { invitationId }, 'superseded by a resend');
      await this.queue.enqueueInvitation(em, { kind: 'invitation', clientId, invitationId, sendAt: event.time });
    });
    this.inbox.afterCommit(() => this.sender.nudge());
  }

  @EventPattern(EventTypes.ownerInvited)
  async invited(@Payload() event: CloudEvent<OwnerInvitedData>): Promise<void> {
    const { invitationId, clientId, sentAt, expiresAt } = event.data;
    await this.inbox.handleOnce(event, (em) =>
      this.queue.setDeadlines(em, {
        invitationId, clientId, sentAt: new Date(sentAt), expiresAt: new Date(expiresAt), reminderBeforeMs: this.config.reminderBeforeMs,
      }),
    );
  }

  @EventPattern(EventTypes.ownerInvitationRevoked)
  async revoked(@Payload() event: CloudEvent<OwnerInvitationClosedData>): Promise<void> {
    await this.inbox.handleOnce(event, (em) => this.queue.closeInvitation(em, { invitationId: event.data.invitationId }, 'revoked'));
  }

  @EventPattern(EventTypes.ownerInvitationExpired)
  async expired(@Payload() event: CloudEvent<OwnerInvitationClosedData>): Promise<void> {
    await this.inbox.handleOnce(event, (em) => this.queue.closeInvitation(em, { invitationId: event.data.invitationId }, 'expired'));
  }

  @EventPattern(EventTypes.ownerActivated)
  async activated(@Payload() event: CloudEvent<OwnerActivatedData>): Promise<void> {
    await this.inbox.handleOnce(event, (em) => this.queue.closeInvitation(em, { clientId: event.data.clientId }, 'accepted'));
  }

  @EventPattern(EventTypes.relationshipRequested)
  async relationshipRequested(@Payload() event: CloudEvent<RelationshipRequestedData>): Promise<void> {
    await this.inbox.handleOnce(event, (em) => this.queue.enqueueConnect(em, { requestId: event.data.requestId, recipient: event.data.email }));
    this.inbox.afterCommit(() => this.sender.nudge());
  }
}
