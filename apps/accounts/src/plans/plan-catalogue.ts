import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { FieldError, ServicePlanResponse } from '@clientele/contracts';
import { ServicePlanNotFoundError } from '../domain/domain-error';
import { isUuid } from '../domain/ids';
import { ServicePlan } from '../domain/service-plan.entity';
import { isoUtc } from '../shared/sql-time';

/** A parent's plan catalogue: what it may assign, and how plans read. */
@Injectable()
export class PlanCatalogue {
  constructor(private readonly em: EntityManager) {}

  /** Every plan id must be an active plan of the owner's catalogue; otherwise 422 naming each field. */
  async assertAssignable(ownerId: string, planIds: { field: string; planId: string }[]): Promise<void> {
    const ids = [...new Set(planIds.map((p) => p.planId).filter(isUuid))];
    const found = ids.length
      ? await this.em.find(ServicePlan, { id: { $in: ids }, accountId: ownerId, active: true }, { fields: ['id'] })
      : [];
    const known = new Set(found.map((p) => p.id));
    const missing: FieldError[] = planIds
      .filter((p) => !known.has(p.planId))
      .map((p) => ({ field: p.field, message: `${p.field} is not an active plan of your catalogue` }));
    if (missing.length) throw new ServicePlanNotFoundError(missing);
  }

  static view(plan: ServicePlan): ServicePlanResponse {
    return {
      id: plan.id,
      name: plan.name,
      product: plan.product,
      unitType: plan.unitType,
      active: plan.active,
      createdAt: isoUtc(plan.createdAt),
      updatedAt: isoUtc(plan.updatedAt),
      version: plan.version,
    };
  }
}
