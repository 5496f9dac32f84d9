import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { SignInReply } from '@clientele/contracts';
import { InvalidCredentialsError } from '../../domain/domain-error';
import { burnPasswordCheck, verifyPassword } from '../../shared/passwords';
import { SignInQuery } from './sign-in.query';

/** Checks an e-mail and password; unknown e-mails take as long as wrong passwords. */
@QueryHandler(SignInQuery)
export class SignInHandler implements IQueryHandler<SignInQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ credentials }: SignInQuery): Promise<SignInReply> {
    const [user] = await this.em.execute<{ id: string; account_id: string; password_hash: string | null }[]>(
      `select id, account_id, password_hash from accounts."user" where lower(email) = lower(?) and status = 'active' limit 1`,
      [credentials.email],
    );
    const ok = user?.password_hash
      ? await verifyPassword(credentials.password, user.password_hash)
      : await burnPasswordCheck(credentials.password);
    if (!ok || !user) throw new InvalidCredentialsError();
    return { userId: user.id, accountId: user.account_id, role: 'admin' };
  }
}
