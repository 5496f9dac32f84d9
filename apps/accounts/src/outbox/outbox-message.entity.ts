import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { CloudEvent } from '@clientele/contracts';

/**
 * An event written in the same transaction as the change it describes; the
 * relay publishes it to JetStream and only then sets `sentAt`.
 */
@Entity({ tableName: 'outbox' })
export class OutboxMessage {
  /** Commit-independent publication order: an identity column. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  seq!: string;

  @Property({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'uuid' })
  aggregateId!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'json' })
  event!: CloudEvent;

  /** The request that caused it, carried on as the message's X-Request-Id for tracing. */
  @Property({ type: 'text', nullable: true })
  requestId!: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
