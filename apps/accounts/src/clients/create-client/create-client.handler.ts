import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { Account } from '../../domain/account.entity';
import { ForbiddenError, NotFoundError } from '../../domain/domain-error';
import { AccountOpening } from '../account-opening';
import { ClientReadModel } from '../client.read-model';
import { CreateClientCommand } from './create-client.command';

@CommandHandler(CreateClientCommand)
export class CreateClientHandler implements ICommandHandler<CreateClientCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
    private readonly opening: AccountOpening,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller, body }: CreateClientCommand): Promise<ClientResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const parent = await this.em.findOne(Account, accountId, { fields: ['id', 'type'] });
    if (!parent) throw new NotFoundError('account');
    if (!parent.canHaveClients()) {
      throw new ForbiddenError('Accounts of type customer cannot have clients.');
    }
    const id = await this.opening.open(body, parent.id);
    return (await this.clients.findOne(id, { withAdminNotes: true }))!;
  }
}
