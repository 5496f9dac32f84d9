import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { MintedInvitationLink } from '@clientele/contracts';
import { AccountsConfig } from '../config';
import { Account } from '../domain/account.entity';
import { NotFoundError } from '../domain/domain-error';
import { Invitation } from '../domain/invitation.entity';
import { User } from '../domain/user.entity';
import { UnitOfWork } from '../outbox/unit-of-work';
import { MintInvitationLinkCommand } from './invitation-commands';
import { requireNotificationsService } from './service-caller';

/**
 * A fresh link for the e-mail notifications is about to send. The token
 * leaves accounts only on this reply, never on the event stream; its hash
 * replaces the previous one, so older links stop working.
 */
@CommandHandler(MintInvitationLinkCommand)
export class MintInvitationLinkHandler implements ICommandHandler<MintInvitationLinkCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly config: AccountsConfig,
  ) {}

  async execute({ caller, invitationId, purpose }: MintInvitationLinkCommand): Promise<MintedInvitationLink> {
    requireNotificationsService(caller);
    return this.uow.run(async (em: EntityManager) => {
      const invitation = await em.findOne(Invitation, invitationId);
      if (!invitation) throw new NotFoundError('invitation');
      const [owner, account, inviter] = await Promise.all([
        em.findOneOrFail(User, invitation.userId),
        em.findOneOrFail(Account, invitation.accountId),
        em.execute<{ company_name: string }[]>(
          `select p.company_name from accounts.relationship r join accounts.account p on p.id = r.parent_id
            where r.client_id = ? and r.status = 'active' order by r.created_at limit 1`,
          [invitation.accountId],
        ),
      ]);
      const token = invitation.mintLink(purpose, new Date(), this.config.invitationTtlMs);
      const link: MintedInvitationLink = {
        token,
        expiresAt: invitation.expiresAt!.toISOString(),
        language: account.language,
        owner: { email: owner.email, firstName: owner.firstName, lastName: owner.lastName },
        account: { accountName: account.accountName, companyName: account.companyName },
        invitedBy: inviter[0] ? { companyName: inviter[0].company_name } : null,
        clientId: account.id,
      };
      return { result: link, aggregates: [invitation] };
    });
  }
}
