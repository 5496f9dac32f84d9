import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { MintedRelationshipRequestLink } from '@clientele/contracts';
import { Account } from '../../domain/account.entity';
import { NotFoundError } from '../../domain/domain-error';
import { RelationshipRequest } from '../../domain/relationship-request.entity';
import { requireNotificationsService } from '../../access/service-caller';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { MintRelationshipRequestLinkCommand } from './mint-relationship-request-link.command';

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
