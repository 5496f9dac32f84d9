import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { MintedPasswordLink } from '@clientele/contracts';
import { Account } from '../../domain/account.entity';
import { NotFoundError } from '../../domain/domain-error';
import { PasswordReset } from '../../domain/password-reset.entity';
import { User } from '../../domain/user.entity';
import { requireNotificationsService } from '../../access/service-caller';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { MintPasswordLinkCommand } from './mint-password-link.command';

const ONE_HOUR = 3_600_000;

/** A fresh one-hour link for an active user; the user's older unused links stop working. */
@CommandHandler(MintPasswordLinkCommand)
export class MintPasswordLinkHandler implements ICommandHandler<MintPasswordLinkCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, user: who, purpose }: MintPasswordLinkCommand): Promise<MintedPasswordLink> {
    requireNotificationsService(caller);
    return this.uow.run(async (em) => {
      const [match] = who.userId
        ? [{ id: who.userId }]
        : await em.execute<{ id: string }[]>(`select id from accounts."user" where lower(email) = lower(?) and status = 'active'`, [who.email ?? '']);
      const user = match ? await em.findOne(User, { id: match.id, status: 'active' }) : null;
      if (!user) throw new NotFoundError('user');
      const account = await em.findOneOrFail(Account, user.accountId);
      await em.nativeDelete(PasswordReset, { userId: user.id, usedAt: null });
      const { reset, token } = PasswordReset.issue(user.id, purpose, new Date(), ONE_HOUR);
      em.persist(reset);
      const link: MintedPasswordLink = {
        token,
        expiresAt: reset.expiresAt.toISOString(),
        language: account.language,
        user: { email: user.email, firstName: user.firstName },
        account: { id: account.id, companyName: account.companyName },
      };
      return { result: link, aggregates: [] };
    });
  }
}
