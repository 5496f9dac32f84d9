import { Entity, Property } from '@mikro-orm/core';
import {
  EventTypes,
  type InvitationSendMode,
  type InvitationStatus,
  type OwnerActivatedData,
  type OwnerInvitationClosedData,
  type OwnerInvitationResentData,
  type OwnerInvitedData,
  type OwnerRemovedData,
} from '@clientele/contracts';
import type { DomainEvent } from './aggregate';
import { InvitationClosedError, NoPendingInvitationError } from './domain-error';
import { newId } from './ids';
import { newSecretToken } from './secret-token';
import { VersionedAggregate } from './versioned-aggregate';
import { newEntity } from './new-entity';

/**
 * An owner's invitation to activate the account. The link's token is stored
 * only as a hash; minting a new link replaces it, so older links stop working.
 */
@Entity({ tableName: 'invitation' })
export class Invitation extends VersionedAggregate {
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'uuid' })
  accountId!: string;

  @Property({ type: 'text' })
  status!: InvitationStatus;

  @Property({ type: 'text' })
  sendMode!: InvitationSendMode;

  @Property({ type: 'text', nullable: true, hidden: true })
  tokenHash!: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  sendAt!: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** A new invitation waiting for its send time: now, or the chosen date. */
  static schedule(owner: { id: string; accountId: string }, send: 'now' | 'scheduled', sendAt: Date, now: Date): Invitation {
    return newEntity(Invitation, {
      id: newId(), userId: owner.id, accountId: owner.accountId, status: 'scheduled', sendMode: send, tokenHash: null,
      sendAt, sentAt: null, expiresAt: null, createdAt: now, updatedAt: now, version: 1,
    });
  }

  /** Still usable: waiting to be sent, or sent and inside its window. */
  isPending(now: Date): boolean {
    return this.status === 'scheduled' || (this.status === 'sent' && !!this.expiresAt && this.expiresAt > now);
  }

  // The hash stays after acceptance, expiry or revocation, so the old link answers 410 with the reason.

  /**
   * A fresh link for the e-mail about to go out. The first one (or the one
   * after a resend) starts the window; a reminder's link keeps it.
   */
  mintLink(purpose: 'invitation' | 'reminder', now: Date, ttlMs: number): string {
    this.assertOpen(now);
    const { token, hash } = newSecretToken();
    this.tokenHash = hash;
    if (purpose === 'invitation' || this.status === 'scheduled') {
      this.status = 'sent';
      this.sentAt = now;
      this.expiresAt = new Date(now.getTime() + ttlMs);
      const data: OwnerInvitedData = {
        invitationId: this.id, clientId: this.accountId, userId: this.userId,
        sentAt: now.toISOString(), expiresAt: this.expiresAt.toISOString(),
      };
      this.raise({ type: EventTypes.ownerInvited, subject: this.accountId, data });
    }
    this.updatedAt = now;
    return token;
  }

  /** Refused with 410 and the reason when the link can no longer be used. */
  assertOpen(now: Date): void {
    if (this.status === 'accepted' || this.status === 'revoked' || this.status === 'expired') throw new InvitationClosedError(this.status);
    if (this.status === 'sent' && (!this.expiresAt || this.expiresAt <= now)) throw new InvitationClosedError('expired');
  }

  accept(now: Date): void {
    this.assertOpen(now);
    if (this.status !== 'sent') throw new InvitationClosedError('revoked');
    this.status = 'accepted';
    this.updatedAt = now;
    const data: OwnerActivatedData = { clientId: this.accountId, userId: this.userId, via: 'invitation' };
    this.raise({ type: EventTypes.ownerActivated, subject: this.accountId, data });
  }

  /** Past its window and not accepted: expired, and the owner is to be removed. False when it changed meanwhile. */
  expire(now: Date): boolean {
    if (this.status !== 'sent' || !this.expiresAt || this.expiresAt > now) return false;
    this.status = 'expired';
    this.updatedAt = now;
    for (const event of Invitation.expiryEvents(this)) this.raise(event);
    return true;
  }

  /**
   * What an expiry says, in order: the invitation expired, its owner was
   * removed. Also for expiries made set-wise (the sweep), without entities.
   */
  static expiryEvents(invitation: { id: string; accountId: string; userId: string }): DomainEvent[] {
    const closed: OwnerInvitationClosedData = { invitationId: invitation.id, clientId: invitation.accountId, userId: invitation.userId };
    const removed: OwnerRemovedData = { clientId: invitation.accountId, userId: invitation.userId, reason: 'invitation-expired' };
    return [
      { type: EventTypes.ownerInvitationExpired, subject: invitation.accountId, data: closed },
      { type: EventTypes.ownerRemoved, subject: invitation.accountId, data: removed },
    ];
  }

  /** A new link now, with a new window; also after expiry. Older links stop working at once. */
  resend(now: Date): void {
    if (this.status === 'accepted') throw new NoPendingInvitationError();
    this.status = 'scheduled';
    this.sendMode = 'now';
    this.sendAt = now;
    this.sentAt = null;
    this.expiresAt = null;
    this.tokenHash = null;
    this.updatedAt = now;
    const data: OwnerInvitationResentData = { invitationId: this.id, clientId: this.accountId, userId: this.userId };
    this.raise({ type: EventTypes.ownerInvitationResent, subject: this.accountId, data });
  }

  revoke(now: Date): void {
    if (!this.isPending(now)) throw new NoPendingInvitationError();
    this.status = 'revoked';
    this.updatedAt = now;
    const data: OwnerInvitationClosedData = { invitationId: this.id, clientId: this.accountId, userId: this.userId };
    this.raise({ type: EventTypes.ownerInvitationRevoked, subject: this.accountId, data });
  }
}
