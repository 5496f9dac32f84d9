import { PrimaryKey, Property } from '@mikro-orm/core';
import { Aggregate } from './aggregate';

/**
 * The columns of every row that changes after it is written: a uuid id, when
 * it was created and last changed, and the version optimistic locking checks
 * (a change to a row someone else changed since it was read is refused).
 */
export abstract class VersionedAggregate extends Aggregate {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  @Property({ type: 'integer', version: true })
  version!: number;
}
