import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An event whose effect is stored: a redelivery of the same id does nothing. */
@Entity({ tableName: 'handled_event' })
export class HandledEvent {
  @PrimaryKey({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'uuid' })
  subject!: string;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'timestamptz' })
  handledAt!: Date;
}
