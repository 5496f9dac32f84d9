import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { AccountType, ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { AccountOpening } from '../account-opening';
import { queryPrepared } from '../../shared/prepared';
import { recordOfOpened, toClientResponse } from '../client.view';
import { CreateClientCommand } from './create-client.command';

@CommandHandler(CreateClientCommand)
export class CreateClientHandler implements ICommandHandler<CreateClientCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
    private readonly opening: AccountOpening,
  ) {}

  async execute({ caller, body }: CreateClientCommand): Promise<ClientResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const [parent] = await queryPrepared<{ type: AccountType }>(this.em, `select type from accounts.account where id = ?`, [accountId]);
    if (!parent) throw new NotFoundError('account');
    return toClientResponse(recordOfOpened(await this.opening.open(body, { id: accountId, type: parent.type })), { withAdminNotes: true });
  }
}
