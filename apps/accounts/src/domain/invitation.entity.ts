import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { InvitationSendMode, InvitationStatus } from '@clientele/contracts';

/** An owner's invitation to activate the account. The link's token is stored only as a hash. */
@Entity({ tableName: 'invitation' })
export class Invitation {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

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

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  @Property({ type: 'integer', version: true })
  version!: number;
}
