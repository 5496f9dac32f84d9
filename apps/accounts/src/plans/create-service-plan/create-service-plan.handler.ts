import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ServicePlanResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { ServicePlanNameTakenError } from '../../domain/domain-error';
import { ServicePlan } from '../../domain/service-plan.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { PlanCatalogue } from '../plan-catalogue';
import { CreateServicePlanCommand } from './create-service-plan.command';

@CommandHandler(CreateServicePlanCommand)
export class CreateServicePlanHandler implements ICommandHandler<CreateServicePlanCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ caller, body }: CreateServicePlanCommand): Promise<ServicePlanResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const plan = await this.uow.run(
      async (em) => {
        const created = ServicePlan.create(accountId, body, new Date());
        em.persist(created);
        const target = { type: 'service-plan', id: created.id, name: created.name };
        return { result: created, aggregates: [], audit: [{ accountId, action: 'service-plan.created', target }] };
      },
      (constraint) => (constraint === 'service_plan_name_uq' ? new ServicePlanNameTakenError() : undefined),
    );
    return PlanCatalogue.view(plan);
  }
}
