import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCodes, type MintedRelationshipRequestLink, type Page, type RelationshipRequestResponse } from '@clientele/contracts';
import { ClientAccess } from '../access/client-access';
import { Account } from '../domain/account.entity';
import { AccountNameTakenError, DomainError, ForbiddenError, NotFoundError, UniqueIdentifierTakenError } from '../domain/domain-error';
import { isUuid } from '../domain/ids';
import { Relationship } from '../domain/relationship.entity';
import { RelationshipRequest } from '../domain/relationship-request.entity';
import { hashSecretToken } from '../domain/secret-token';
import { requireNotificationsService } from '../invitations/service-caller';
import { UnitOfWork } from '../outbox/unit-of-work';
import { decodeCursor, keysetPage } from '../shared/cursor';
import {
  CancelRelationshipRequestCommand,
  CreateRelationshipRequestCommand,
  DecideRelationshipRequestCommand,
  ListRelationshipRequestsQuery,
  MintRelationshipRequestLinkCommand,
} from './relationship-request-commands';

function view(request: RelationshipRequest, now = new Date()): RelationshipRequestResponse {
  return {
    id: request.id,
    email: request.email,
    message: request.message,
    status: request.statusAt(now),
    expiresAt: request.expiresAt.toISOString(),
    sentAt: request.sentAt?.toISOString() ?? null,
    decidedAt: request.decidedAt?.toISOString() ?? null,
    createdAt: request.createdAt.toISOString(),
  };
}

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
    if (self) throw new DomainError(ErrorCodes.alreadyConnected, 409, 'This address belongs to your own account; an account cannot be its own client.');
    const request = await this.uow.run(async (em) => {
      const created = RelationshipRequest.create(accountId, email, message, new Date());
      em.persist(created);
      return { result: created, aggregates: [created] };
    });
    return view(request);
  }
}

@QueryHandler(ListRelationshipRequestsQuery)
export class ListRelationshipRequestsHandler implements IQueryHandler<ListRelationshipRequestsQuery> {
  constructor(private readonly access: ClientAccess, private readonly em: EntityManager) {}

  async execute({ caller, limit, cursor }: ListRelationshipRequestsQuery): Promise<Page<RelationshipRequestResponse>> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const where: Record<string, unknown> = { fromAccountId: accountId };
    if (cursor) {
      const position = decodeCursor(cursor, 'createdAt');
      where.$or = [{ createdAt: { $gt: new Date(position.value) } }, { createdAt: new Date(position.value), id: { $gt: position.id } }];
    }
    const rows = await this.em.find(RelationshipRequest, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
    const keyed = rows.map((request) => ({ request, sort_key: request.createdAt.toISOString() }));
    return keysetPage(keyed, limit, 'createdAt', ({ request }) => request.id, ({ request }) => view(request));
  }
}

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
          if (request.fromAccountId === accountId) throw new DomainError(ErrorCodes.alreadyConnected, 409, 'An account cannot be its own client.');
          if (await this.access.isBelow(accountId, request.fromAccountId)) {
            throw new DomainError(ErrorCodes.alreadyConnected, 409, 'The inviter is already below this account in the channel; accepting would make a loop.');
          }
          const existing = await em.count(Relationship, { parentId: request.fromAccountId, clientId: accountId, status: 'active' });
          if (existing) throw new DomainError(ErrorCodes.alreadyConnected, 409, 'This account is already a client of the inviter.');
          const client = await em.findOneOrFail(Account, accountId);
          const link = Relationship.between(request.fromAccountId, client, now);
          em.persist(link);
          relationshipId = link.id;
        }
        request.decide(accept, accountId, relationshipId, now);
        return { result: view(request, now), aggregates: [request] };
      },
      (constraint) => {
        if (constraint === 'relationship_account_name_uq') return new AccountNameTakenError('this account');
        if (constraint === 'relationship_unique_identifier_uq') return new UniqueIdentifierTakenError();
        if (constraint === 'relationship_active_uq') return new DomainError(ErrorCodes.alreadyConnected, 409, 'This account is already a client of the inviter.');
        return undefined;
      },
    );
  }
}

@CommandHandler(CancelRelationshipRequestCommand)
export class CancelRelationshipRequestHandler implements ICommandHandler<CancelRelationshipRequestCommand> {
  constructor(private readonly access: ClientAccess, private readonly uow: UnitOfWork) {}

  async execute({ caller, requestId }: CancelRelationshipRequestCommand): Promise<null> {
    const { accountId } = this.access.requireAccountCaller(caller);
    if (!isUuid(requestId)) throw new NotFoundError('request to connect');
    await this.uow.run(async (em) => {
      const request = await em.findOne(RelationshipRequest, { id: requestId, fromAccountId: accountId });
      if (!request) throw new NotFoundError('request to connect');
      request.cancel(new Date());
      return { result: null, aggregates: [request] };
    });
    return null;
  }
}

/** notifications asks for the link of the e-mail it is about to send. */
@CommandHandler(MintRelationshipRequestLinkCommand)
export class MintRelationshipRequestLinkHandler implements ICommandHandler<MintRelationshipRequestLinkCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, requestId }: MintRelationshipRequestLinkCommand): Promise<MintedRelationshipRequestLink> {
    requireNotificationsService(caller);
    return this.uow.run(async (em) => {
      const request = await em.findOne(RelationshipRequest, requestId);
      if (!request) throw new NotFoundError('request to connect');
      const [invited] = await em.execute<{ language: string }[]>(
        `select a.language from accounts."user" u join accounts.account a on a.id = u.account_id
          where lower(u.email) = lower(?) and u.status = 'active' limit 1`,
        [request.email],
      );
      // Only admins of existing accounts can be invited to connect; nobody else gets mail.
      if (!invited) throw new NotFoundError('account for this e-mail');
      const from = await em.findOneOrFail(Account, request.fromAccountId);
      const token = request.mintLink(new Date());
      const link: MintedRelationshipRequestLink = {
        token, expiresAt: request.expiresAt.toISOString(), email: request.email, language: invited.language, message: request.message,
        from: { accountId: from.id, companyName: from.companyName },
      };
      return { result: link, aggregates: [] };
    });
  }
}
