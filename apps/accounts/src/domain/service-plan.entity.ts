import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A plan in a parent's catalogue. */
@Entity({ tableName: 'service_plan' })
export class ServicePlan {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  accountId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  product!: string;

  @Property({ type: 'text' })
  unitType!: string;

  @Property({ type: 'boolean' })
  active!: boolean;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  @Property({ type: 'integer', version: true })
  version!: number;
}
