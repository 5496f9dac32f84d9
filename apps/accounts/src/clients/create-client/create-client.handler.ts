import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { AccountType, ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import type { ClientForm } from '../../domain/client-form';
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
    // The parent's type and client form in one read: what the opening checks the new client against.
    const [parent] = await queryPrepared<{ type: AccountType; client_form: ClientForm }>(
      this.em,
      `select type, client_form from accounts.account where id = ?`,
      [accountId],
    );
    if (!parent) throw new NotFoundError('account');
    const opened = await this.opening.open(body, { id: accountId, type: parent.type, clientForm: parent.client_form });
    return toClientResponse(recordOfOpened(opened), { withAdminNotes: true });
  }
}
