import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClientResponse } from '@clientele/contracts';
import { AccountOpening } from '../../clients/account-opening';
import { recordOfOpened, toClientResponse } from '../../clients/client.view';
import { requireOperator } from '../../access/operator';
import { CreatePartnerCommand } from './create-partner.command';

@CommandHandler(CreatePartnerCommand)
export class CreatePartnerHandler implements ICommandHandler<CreatePartnerCommand> {
  constructor(
    private readonly opening: AccountOpening,
  ) {}

  async execute({ caller, body }: CreatePartnerCommand): Promise<ClientResponse> {
    requireOperator(caller);
    return toClientResponse(recordOfOpened(await this.opening.open(body, null)), { withAdminNotes: true });
  }
}
