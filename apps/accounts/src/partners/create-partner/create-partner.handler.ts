import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClientResponse } from '@clientele/contracts';
import { AccountOpening } from '../../clients/account-opening';
import { ClientReadModel } from '../../clients/client.read-model';
import { requireOperator } from '../operator';
import { CreatePartnerCommand } from './create-partner.command';

@CommandHandler(CreatePartnerCommand)
export class CreatePartnerHandler implements ICommandHandler<CreatePartnerCommand> {
  constructor(
    private readonly opening: AccountOpening,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller, body }: CreatePartnerCommand): Promise<ClientResponse> {
    requireOperator(caller);
    const id = await this.opening.open(body, null);
    return (await this.clients.findOne(id, { withAdminNotes: true }))!;
  }
}
