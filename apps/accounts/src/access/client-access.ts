import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCodes, isAccountCaller, type AccountCaller, type Caller } from '@clientele/contracts';
import { DomainError, NotFoundError } from '../domain/domain-error';
import { isUuid } from '../domain/ids';

/** How the caller stands towards a client. */
export type ClientReach = 'parent';

/**
 * The one place that decides what a caller may reach. Every client query and
 * command asks it first; anything out of reach is "not found", so ids cannot
 * be probed.
 */
@Injectable()
export class ClientAccess {
  constructor(private readonly em: EntityManager) {}

  /** The account the caller acts for; operators and anonymous callers have none. */
  requireAccountCaller(caller: Caller): AccountCaller {
    if (!isAccountCaller(caller)) {
      throw new DomainError(ErrorCodes.unauthorized, 401, 'Sign in as a user of an account.');
    }
    return caller;
  }

  async reachOf(caller: Caller, clientId: string): Promise<ClientReach> {
    const account = this.requireAccountCaller(caller);
    if (!isUuid(clientId)) throw new NotFoundError('client');
    const rows = await this.em.execute<{ one: number }[]>(
      `select 1 as one from accounts.relationship where parent_id = ? and client_id = ? and status = 'active'`,
      [account.accountId, clientId],
    );
    if (!rows.length) throw new NotFoundError('client');
    return 'parent';
  }
}
