import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { isUuid } from '../../domain/ids';
import { License } from '../../domain/license.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { EndLicenseCommand } from './end-license.command';

@CommandHandler(EndLicenseCommand)
export class EndLicenseHandler implements ICommandHandler<EndLicenseCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ caller, clientId, licenseId }: EndLicenseCommand): Promise<null> {
    await this.access.requireParent(caller, clientId);
    if (!isUuid(licenseId)) throw new NotFoundError('licence');
    await this.uow.run(async (em) => {
      const license = await em.findOne(License, { id: licenseId, accountId: clientId, status: 'active' });
      if (!license) throw new NotFoundError('licence');
      license.end(new Date());
      return { result: null, aggregates: [license] };
    });
    return null;
  }
}
