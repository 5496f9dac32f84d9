import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { type RelationshipRequestResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { Account } from '../../domain/account.entity';
import { AlreadyConnectedError, ForbiddenError } from '../../domain/domain-error';
import { RelationshipRequest } from '../../domain/relationship-request.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { relationshipRequestView } from '../relationship-request.view';
import { CreateRelationshipRequestCommand } from './create-relationship-request.command';

/** Invite an existing account (through one of its admins' e-mail) to become your client. */
@CommandHandler(CreateRelationshipRequestCommand)
export class CreateRelationshipRequestHandler implements ICommandHandler<CreateRelationshipRequestCommand> {
  constructor(private readonly access: ClientAccess, private readonly em: EntityManager, private readonly uow: UnitOfWork) {}

  async execute({ caller, email, message }: CreateRelationshipRequestCommand): Promise<RelationshipRequestResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const own = await this.em.findOneOrFail(Account, accountId);
    if (!Account.mayHaveClients(own.type)) throw new ForbiddenError('Accounts of type customer cannot have clients.');
    // Inviting one of your own users would only fail on acceptance: say so now (it reveals nothing about others).
    const [self] = await this.em.execute<{ id: string }[]>(
      `select id from accounts."user" where account_id = ? and lower(email) = lower(?) and status <> 'removed' limit 1`,
      [accountId, email],
    );
    if (self) throw new AlreadyConnectedError('This address belongs to your own account; an account cannot be its own client.');
    const request = await this.uow.run(async (em) => {
      const created = RelationshipRequest.create(accountId, email, message, new Date());
      em.persist(created);
      return { result: created, aggregates: [created] };
    });
    return relationshipRequestView(request);
  }
}
