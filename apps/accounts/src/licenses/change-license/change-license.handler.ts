import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { LicenseResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError, VersionConflictError } from '../../domain/domain-error';
import { isUuid } from '../../domain/ids';
import { License } from '../../domain/license.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { LicenseReadModel } from '../license.read-model';
import { ChangeLicenseCommand } from './change-license.command';

/** New units or start date for an active licence. */
@CommandHandler(ChangeLicenseCommand)
export class ChangeLicenseHandler implements ICommandHandler<ChangeLicenseCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
    private readonly licenses: LicenseReadModel,
  ) {}

  async execute({ caller, clientId, licenseId, patch, expectedVersion }: ChangeLicenseCommand): Promise<LicenseResponse> {
    await this.access.requireParent(caller, clientId);
    if (!isUuid(licenseId)) throw new NotFoundError('licence');
    await this.uow.run(async (em) => {
      const license = await em.findOne(License, { id: licenseId, accountId: clientId, status: 'active' });
      if (!license) throw new NotFoundError('licence');
      if (expectedVersion !== undefined && license.version !== expectedVersion) throw new VersionConflictError();
      license.change(patch, new Date());
      return { result: null, aggregates: [license] };
    });
    return (await this.licenses.findOne(licenseId))!;
  }
}
