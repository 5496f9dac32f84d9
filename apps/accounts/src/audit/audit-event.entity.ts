import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { FieldChanges } from '../domain/aggregate';
import type { AuditActor } from './audit-scope';

/** What each changed field was and became. */
export type AuditChanges = FieldChanges;

/**
 * One entry of an account's audit trail, written in the same transaction as
 * the change it records and never changed afterwards; the retention sweep
 * removes it when it is older than `AUDIT_RETENTION`.
 */
@Entity({ tableName: 'audit_event' })
export class AuditEvent {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** Whose trail it is: the account changed, or the acting account for its own things (keys, plans, sign-ins). */
  @Property({ type: 'uuid' })
  accountId!: string;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  /** An event type without `accounts.` (`client.created`), or `auth.signed-in`, `api-key.created`, ... */
  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  actorType!: AuditActor['type'];

  @Property({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** A user's e-mail as it was when they acted. */
  @Property({ type: 'text', nullable: true })
  actorEmail!: string | null;

  @Property({ type: 'text' })
  targetType!: string;

  @Property({ type: 'uuid' })
  targetId!: string;

  @Property({ type: 'text', nullable: true })
  targetName!: string | null;

  @Property({ type: 'json' })
  changes!: AuditChanges;

  @Property({ type: 'text', nullable: true })
  ip!: string | null;

  @Property({ type: 'text', nullable: true })
  userAgent!: string | null;

  @Property({ type: 'text', nullable: true })
  requestId!: string | null;
}
