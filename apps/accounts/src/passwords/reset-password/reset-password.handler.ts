import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import type { SignInReply } from '@clientele/contracts';
import { NotFoundError } from '../../domain/domain-error';
import { hashSecretToken } from '../../domain/secret-token';
import { assertAcceptablePassword } from '../../domain/password-policy';
import { PasswordReset } from '../../domain/password-reset.entity';
import { User } from '../../domain/user.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { hashPassword } from '../../shared/passwords';
import { ResetPasswordCommand } from './reset-password.command';

/** Sets a new password through a link: once, within its hour; the old password ends with it. */
@CommandHandler(ResetPasswordCommand)
export class ResetPasswordHandler implements ICommandHandler<ResetPasswordCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ token, password }: ResetPasswordCommand): Promise<SignInReply> {
    const tokenHash = hashSecretToken(token);
    const found = await this.em.findOne(PasswordReset, { tokenHash });
    if (!found) throw new NotFoundError('link');
    const owner = await this.em.findOneOrFail(User, found.userId);
    assertAcceptablePassword(password, { email: owner.email });
    const passwordHash = await hashPassword(password);
    return this.uow.run(async (em) => {
      // A newer link may have replaced this one since it was read.
      const reset = await em.findOne(PasswordReset, { tokenHash }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!reset) throw new NotFoundError('link');
      const now = new Date();
      reset.use(now);
      // Only a user who may sign in gets a password (and a token) this way.
      const user = await em.findOne(User, { id: reset.userId, status: 'active' });
      if (!user) throw new NotFoundError('link');
      user.passwordHash = passwordHash;
      user.updatedAt = now;
      // By the user the link was sent to: it proves who they are. The trail says the password changed, never to what.
      const actor = { type: 'user' as const, id: user.id, email: user.email };
      const audit = [{ accountId: user.accountId, action: 'auth.password-reset', target: { type: 'user', id: user.id, name: user.email }, actor }];
      return { result: { userId: user.id, accountId: user.accountId, role: 'admin' as const, email: user.email }, aggregates: [], audit };
    });
  }
}
