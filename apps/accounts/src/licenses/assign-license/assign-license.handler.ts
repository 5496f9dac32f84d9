import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { LicenseResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { License } from '../../domain/license.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { PlanCatalogue } from '../../plans/plan-catalogue';
import { LicenseReadModel } from '../license.read-model';
import { AssignLicenseCommand } from './assign-license.command';

/** A parent assigns one of its active plans to a client (seed 002: units and start date). */
@CommandHandler(AssignLicenseCommand)
export class AssignLicenseHandler implements ICommandHandler<AssignLicenseCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly plans: PlanCatalogue,
    private readonly uow: UnitOfWork,
    private readonly licenses: LicenseReadModel,
  ) {}

  async execute({ caller, clientId, terms }: AssignLicenseCommand): Promise<LicenseResponse> {
    const { accountId } = await this.access.requireParent(caller, clientId);
    await this.plans.assertAssignable(accountId, [{ field: 'planId', planId: terms.planId }]);
    const id = await this.uow.run(async (em) => {
      const license = License.assign(clientId, terms, new Date());
      em.persist(license);
      return { result: license.id, aggregates: [license] };
    });
    return (await this.licenses.findOne(id))!;
  }
}
