import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { EventTypes, type AccountType, type ClientStatus, type OwnerStatus, type RelationshipEndedData } from '@clientele/contracts';
import { Aggregate } from './aggregate';
import type { Account } from './account.entity';
import { newId } from './ids';
import { newEntity } from './new-entity';

/**
 * A parent's link to a client. It carries copies of the client's list keys so
 * that name uniqueness under a parent is a unique index (race-free) and every
 * sorted, filtered page of a parent's clients is an index range scan. The
 * owner's status is kept by the database (migration 20261203100000): taken
 * from the owner when a link is written without it, and copied on every
 * change of the owner's status.
 */
@Entity({ tableName: 'relationship' })
export class Relationship extends Aggregate {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  parentId!: string;

  @Property({ type: 'uuid' })
  clientId!: string;

  @Property({ type: 'text' })
  status!: 'active' | 'ended';

  @Property({ type: 'text' })
  accountName!: string;

  @Property({ type: 'text' })
  companyName!: string;

  @Property({ type: 'text', nullable: true })
  uniqueIdentifier!: string | null;

  @Property({ type: 'text' })
  clientStatus!: ClientStatus;

  @Property({ type: 'text' })
  clientType!: AccountType;

  @Property({ type: 'timestamptz' })
  clientCreatedAt!: Date;

  /** Null on a new link to an existing account: the database fills it from the owner. */
  @Property({ type: 'text', nullable: true })
  ownerStatus!: OwnerStatus | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  /** `ownerStatus`: the owner's, when the client is opened with it; otherwise the database reads it. */
  static between(parentId: string, client: Account, now: Date, ownerStatus: OwnerStatus | null = null): Relationship {
    return newEntity(Relationship, { id: newId(), parentId, clientId: client.id, status: 'active', createdAt: now, endedAt: null, ownerStatus, ...listKeysOf(client) });
  }

  /** The parent loses access at once; the client account and its users stay. */
  end(now: Date): void {
    if (this.status === 'ended') return;
    this.status = 'ended';
    this.endedAt = now;
    const data: RelationshipEndedData = { relationshipId: this.id, parentId: this.parentId, clientId: this.clientId, endedAt: now.toISOString() };
    this.raise({ type: EventTypes.relationshipEnded, subject: this.id, data });
  }

  /** Keeps the list keys in step with the client account. */
  copyKeysFrom(client: Account): void {
    Object.assign(this, listKeysOf(client));
  }
}

/** The client's values a relationship row keeps for sorting and filtering its parent's list (ADR 6). */
function listKeysOf(client: Account): Pick<Relationship, 'accountName' | 'companyName' | 'uniqueIdentifier' | 'clientStatus' | 'clientType' | 'clientCreatedAt'> {
  return {
    accountName: client.accountName,
    companyName: client.companyName,
    uniqueIdentifier: client.uniqueIdentifier,
    clientStatus: client.status,
    clientType: client.type,
    clientCreatedAt: client.createdAt,
  };
}
