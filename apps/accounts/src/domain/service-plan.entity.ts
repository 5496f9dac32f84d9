import { Entity, Property } from '@mikro-orm/core';
import type { FieldChanges } from './aggregate';
import { newId } from './ids';
import { VersionedAggregate } from './versioned-aggregate';

/** What a plan is made of, in the domain's terms. */
export interface ServicePlanProps {
  name: string;
  product: string;
  unitType: string;
  /** Absent on creation: active. */
  active?: boolean;
}

/** A plan in a parent's catalogue. */
@Entity({ tableName: 'service_plan' })
export class ServicePlan extends VersionedAggregate {
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

  static create(accountId: string, input: ServicePlanProps, now: Date): ServicePlan {
    const plan = new ServicePlan();
    plan.id = newId();
    plan.accountId = accountId;
    plan.name = input.name.trim();
    plan.product = input.product.trim();
    plan.unitType = input.unitType.trim();
    plan.active = input.active ?? true;
    plan.createdAt = now;
    plan.updatedAt = now;
    plan.version = 1;
    return plan;
  }

  /** Merge patch; returns what changed, from what (none: nothing did). An inactive plan can no longer be assigned. */
  update(patch: Partial<ServicePlanProps>, now: Date): FieldChanges {
    const changes: FieldChanges = {};
    for (const key of ['name', 'product', 'unitType', 'active'] as const) {
      const value = patch[key];
      if (value === undefined) continue;
      const next = typeof value === 'string' ? value.trim() : value;
      if (this[key] !== next) {
        changes[key] = { from: this[key], to: next };
        (this as Record<typeof key, unknown>)[key] = next;
      }
    }
    if (Object.keys(changes).length) this.updatedAt = now;
    return changes;
  }
}
