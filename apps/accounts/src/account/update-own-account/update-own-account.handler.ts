import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { ClientReadModel } from '../../clients/client.read-model';
import { ClientUpdater } from '../../clients/client-updater';
import { UpdateOwnAccountCommand } from './update-own-account.command';

@CommandHandler(UpdateOwnAccountCommand)
export class UpdateOwnAccountHandler implements ICommandHandler<UpdateOwnAccountCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly updater: ClientUpdater,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller, patch, expectedVersion }: UpdateOwnAccountCommand): Promise<ClientResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    await this.updater.update(accountId, patch, expectedVersion);
    return (await this.clients.findOne(accountId, { withAdminNotes: false }))!;
  }
}
