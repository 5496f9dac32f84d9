import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ServicePlanResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { isUuid } from '../../domain/ids';
import { ServicePlan } from '../../domain/service-plan.entity';
import { PlanCatalogue } from '../plan-catalogue';
import { GetServicePlanQuery } from './get-service-plan.query';

@QueryHandler(GetServicePlanQuery)
export class GetServicePlanHandler implements IQueryHandler<GetServicePlanQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, planId }: GetServicePlanQuery): Promise<ServicePlanResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const plan = isUuid(planId) ? await this.em.findOne(ServicePlan, { id: planId, accountId }) : null;
    if (!plan) throw new NotFoundError('service plan');
    return PlanCatalogue.view(plan);
  }
}
