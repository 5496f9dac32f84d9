import { Entity, Property } from '@mikro-orm/core';
import {
  EventTypes,
  type RelationshipDecidedData,
  type RelationshipRequestStatus,
  type RelationshipRequestedData,
} from '@clientele/contracts';
import { RequestClosedError } from './domain-error';
import { newId } from './ids';
import { newSecretToken } from './secret-token';
import { VersionedAggregate } from './versioned-aggregate';

const THIRTY_DAYS = 30 * 86_400_000;

/** An account's invitation to an existing account to become its client (seed 004). */
@Entity({ tableName: 'relationship_request' })
export class RelationshipRequest extends VersionedAggregate {
  @Property({ type: 'uuid' })
  fromAccountId!: string;

  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', nullable: true })
  message!: string | null;

  @Property({ type: 'text' })
  status!: 'pending' | 'accepted' | 'declined' | 'cancelled';

  @Property({ type: 'text', nullable: true, hidden: true })
  tokenHash!: string | null;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  static create(fromAccountId: string, email: string, message: string | undefined, now: Date): RelationshipRequest {
    const request = Object.assign(new RelationshipRequest(), {
      id: newId(), fromAccountId, email: email.trim(), message: message?.trim() || null, status: 'pending', tokenHash: null,
      expiresAt: new Date(now.getTime() + THIRTY_DAYS), sentAt: null, decidedAt: null, createdAt: now, updatedAt: now, version: 1,
    });
    const data: RelationshipRequestedData = { requestId: request.id, fromAccountId, email: request.email, expiresAt: request.expiresAt.toISOString() };
    request.raise({ type: EventTypes.relationshipRequested, subject: request.id, data });
    return request;
  }

  statusAt(now: Date): RelationshipRequestStatus {
    return this.status === 'pending' && this.expiresAt <= now ? 'expired' : this.status;
  }

  /** A link for the e-mail; a new one replaces the old. */
  mintLink(now: Date): string {
    this.assertPending(now);
    const { token, hash } = newSecretToken();
    this.tokenHash = hash;
    this.sentAt = now;
    this.updatedAt = now;
    return token;
  }

  assertPending(now: Date): void {
    const status = this.statusAt(now);
    if (status !== 'pending') throw new RequestClosedError(status);
  }

  decide(accepted: boolean, clientId: string, relationshipId: string | null, now: Date): void {
    this.assertPending(now);
    this.status = accepted ? 'accepted' : 'declined';
    this.decidedAt = now;
    this.updatedAt = now;
    const data: RelationshipDecidedData = { requestId: this.id, parentId: this.fromAccountId, clientId, relationshipId };
    this.raise({ type: accepted ? EventTypes.relationshipAccepted : EventTypes.relationshipDeclined, subject: this.id, data });
  }

  cancel(now: Date): void {
    this.assertPending(now);
    this.status = 'cancelled';
    this.updatedAt = now;
  }
}
