import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import type { SignInReply } from '@clientele/contracts';
import { currentAuditScope, runInAuditScope } from '../../audit/audit-scope';
import { InvitationClosedError, NotFoundError } from '../../domain/domain-error';
import { Invitation } from '../../domain/invitation.entity';
import { hashSecretToken } from '../../domain/secret-token';
import { assertAcceptablePassword } from '../../domain/password-policy';
import { User } from '../../domain/user.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { hashPassword } from '../../shared/passwords';
import { AcceptInvitationCommand } from './accept-invitation.command';

/**
 * The owner sets a password through the link. Single use and race-free: the
 * invitation row is locked for the change, so of many concurrent accepts one
 * wins and the others find it used (410).
 */
@CommandHandler(AcceptInvitationCommand)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitationCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ input }: AcceptInvitationCommand): Promise<SignInReply> {
    const tokenHash = hashSecretToken(input.token);
    const found = await this.em.findOne(Invitation, { tokenHash });
    if (!found) throw new NotFoundError('invitation');
    found.assertOpen(new Date());
    const owner = await this.em.findOneOrFail(User, found.userId);
    assertAcceptablePassword(input.password, { email: owner.email });
    const passwordHash = await hashPassword(input.password);
    // The owner accepts: the link proves who they are, so they are the actor of `owner.activated`.
    const actor = { type: 'user' as const, id: owner.id, email: owner.email };
    return runInAuditScope({ ...currentAuditScope(), actor }, () => this.accept(tokenHash, passwordHash));
  }

  private accept(tokenHash: string, passwordHash: string): Promise<SignInReply> {
    return this.uow.run(async (em) => {
      const invitation = await em.findOne(Invitation, { tokenHash }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!invitation) throw new InvitationClosedError('revoked');
      const now = new Date();
      invitation.accept(now);
      const user = await em.findOneOrFail(User, invitation.userId);
      user.passwordHash = passwordHash;
      user.status = 'active';
      user.updatedAt = now;
      return { result: { userId: user.id, accountId: user.accountId, role: 'admin' as const, email: user.email }, aggregates: [invitation] };
    });
  }
}
