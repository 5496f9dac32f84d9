import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LockMode } from '@mikro-orm/core';
import { type RelationshipRequestResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { Account } from '../../domain/account.entity';
import { AccountNameTakenError, AlreadyConnectedError, NotFoundError, UniqueIdentifierTakenError } from '../../domain/domain-error';
import { Relationship } from '../../domain/relationship.entity';
import { RelationshipRequest } from '../../domain/relationship-request.entity';
import { hashSecretToken } from '../../domain/secret-token';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { relationshipRequestView } from '../relationship-request.view';
import { DecideRelationshipRequestCommand } from './decide-relationship-request.command';

/**
 * An admin of the invited account accepts (the inviter becomes its parent)
 * or declines. Only an admin of the account the e-mail belongs to may; for
 * anyone else the link does not exist.
 */
@CommandHandler(DecideRelationshipRequestCommand)
export class DecideRelationshipRequestHandler implements ICommandHandler<DecideRelationshipRequestCommand> {
  constructor(private readonly access: ClientAccess, private readonly uow: UnitOfWork) {}

  async execute({ caller, token, accept }: DecideRelationshipRequestCommand): Promise<RelationshipRequestResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    return this.uow.run(
      async (em) => {
        const request = await em.findOne(RelationshipRequest, { tokenHash: hashSecretToken(token) }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
        const [invited] = request
          ? await em.execute<{ account_id: string }[]>(
              `select account_id from accounts."user" where lower(email) = lower(?) and status = 'active' limit 1`, [request.email])
          : [];
        if (!request || invited?.account_id !== accountId) throw new NotFoundError('request to connect');
        const now = new Date();
        let relationshipId: string | null = null;
        if (accept) {
          if (request.fromAccountId === accountId) throw new AlreadyConnectedError('An account cannot be its own client.');
          if (await this.access.isBelow(accountId, request.fromAccountId)) {
            throw new AlreadyConnectedError('The inviter is already below this account in the channel; accepting would make a loop.');
          }
          const existing = await em.count(Relationship, { parentId: request.fromAccountId, clientId: accountId, status: 'active' });
          if (existing) throw new AlreadyConnectedError('This account is already a client of the inviter.');
          const client = await em.findOneOrFail(Account, accountId);
          const link = Relationship.between(request.fromAccountId, client, now);
          em.persist(link);
          relationshipId = link.id;
        }
        request.decide(accept, accountId, relationshipId, now);
        return { result: relationshipRequestView(request, now), aggregates: [request] };
      },
      (constraint) => {
        if (constraint === 'relationship_account_name_uq') return new AccountNameTakenError('this account');
        if (constraint === 'relationship_unique_identifier_uq') return new UniqueIdentifierTakenError();
        if (constraint === 'relationship_active_uq') return new AlreadyConnectedError('This account is already a client of the inviter.');
        return undefined;
      },
    );
  }
}
