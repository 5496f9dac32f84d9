import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A plan assigned to a client: units and a start date. */
@Entity({ tableName: 'license' })
export class License {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  accountId!: string;

  @Property({ type: 'uuid' })
  planId!: string;

  @Property({ type: 'integer' })
  units!: number;

  @Property({ type: 'date' })
  startDate!: string;

  @Property({ type: 'text' })
  status!: 'active' | 'ended';

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  @Property({ type: 'integer', version: true })
  version!: number;
}
