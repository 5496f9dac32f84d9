import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { ClientReadModel } from '../client.read-model';
import { ClientUpdater } from '../client-updater';
import { UpdateClientCommand } from './update-client.command';

@CommandHandler(UpdateClientCommand)
export class UpdateClientHandler implements ICommandHandler<UpdateClientCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly updater: ClientUpdater,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller, clientId, patch, expectedVersion }: UpdateClientCommand): Promise<ClientResponse> {
    await this.access.requireParent(caller, clientId);
    await this.updater.update(clientId, patch, expectedVersion);
    return (await this.clients.findOne(clientId, { withAdminNotes: true }))!;
  }
}
