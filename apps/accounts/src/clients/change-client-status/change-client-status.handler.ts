import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { ClientReadModel } from '../client.read-model';
import { ClientUpdater } from '../client-updater';
import { ChangeClientStatusCommand } from './change-client-status.command';

/** Activating an active client (or the reverse) answers the client and raises nothing. */
@CommandHandler(ChangeClientStatusCommand)
export class ChangeClientStatusHandler implements ICommandHandler<ChangeClientStatusCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly updater: ClientUpdater,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller, clientId, active }: ChangeClientStatusCommand): Promise<ClientResponse> {
    await this.access.requireParent(caller, clientId);
    await this.updater.update(clientId, { active });
    return (await this.clients.findOne(clientId, { withAdminNotes: true }))!;
  }
}
