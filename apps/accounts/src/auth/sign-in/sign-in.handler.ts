import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { SignInReply } from '@clientele/contracts';
import { AuditTrail } from '../../audit/audit-trail';
import { InvalidCredentialsError } from '../../domain/domain-error';
import { burnPasswordCheck, verifyPassword } from '../../shared/passwords';
import { SignInQuery } from './sign-in.query';

/**
 * Checks an e-mail and password; unknown e-mails take as long as wrong
 * passwords. Both outcomes go into the trail of the user's account: a failure
 * in a statement of its own, although the call answers 401.
 */
@QueryHandler(SignInQuery)
export class SignInHandler implements IQueryHandler<SignInQuery> {
  constructor(
    private readonly em: EntityManager,
    private readonly trail: AuditTrail,
  ) {}

  async execute({ credentials }: SignInQuery): Promise<SignInReply> {
    const [user] = await this.em.execute<{ id: string; account_id: string; email: string; password_hash: string | null }[]>(
      `select id, account_id, email, password_hash from accounts."user" where lower(email) = lower(?) and status = 'active' limit 1`,
      [credentials.email],
    );
    const ok = user?.password_hash
      ? await verifyPassword(credentials.password, user.password_hash)
      : await burnPasswordCheck(credentials.password);
    if (!ok || !user) {
      await this.trail.recordFailedSignIn(this.em, credentials.email);
      throw new InvalidCredentialsError();
    }
    const actor = { type: 'user' as const, id: user.id, email: user.email };
    await this.trail.record(this.em, { accountId: user.account_id, action: 'auth.signed-in', target: { type: 'user', id: user.id, name: user.email }, actor });
    return { userId: user.id, accountId: user.account_id, role: 'admin', email: user.email };
  }
}
