import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ServicePlanResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError, ServicePlanNameTakenError, VersionConflictError } from '../../domain/domain-error';
import { isUuid } from '../../domain/ids';
import { ServicePlan } from '../../domain/service-plan.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { PlanCatalogue } from '../plan-catalogue';
import { UpdateServicePlanCommand } from './update-service-plan.command';

/** Renaming or retiring a plan leaves the licences already assigned untouched. */
@CommandHandler(UpdateServicePlanCommand)
export class UpdateServicePlanHandler implements ICommandHandler<UpdateServicePlanCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ caller, planId, patch, expectedVersion }: UpdateServicePlanCommand): Promise<ServicePlanResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    if (!isUuid(planId)) throw new NotFoundError('service plan');
    const plan = await this.uow.run(
      async (em) => {
        const found = await em.findOne(ServicePlan, { id: planId, accountId });
        if (!found) throw new NotFoundError('service plan');
        if (expectedVersion !== undefined && found.version !== expectedVersion) throw new VersionConflictError();
        const changes = found.update(patch, new Date());
        // A patch that changes nothing is no change: no entry.
        const audit = Object.keys(changes).length
          ? [{ accountId, action: 'service-plan.updated', target: { type: 'service-plan', id: found.id, name: found.name }, changes }]
          : [];
        return { result: found, aggregates: [], audit };
      },
      (constraint) => (constraint === 'service_plan_name_uq' ? new ServicePlanNameTakenError() : undefined),
    );
    return PlanCatalogue.view(plan);
  }
}
