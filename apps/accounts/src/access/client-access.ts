import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { isAccountCaller, type AccountCaller, type Caller } from '@clientele/contracts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../domain/domain-error';
import { isUuid } from '../domain/ids';
import { queryPrepared } from '../shared/prepared';

/** How the caller stands towards a client: its direct parent, or higher up the channel. */
export type ClientReach = 'parent' | 'ancestor';

/** Deep enough for any real channel; bounds the walk if relationships ever form a loop. */
const MAX_TIERS = 16;

/**
 * The one place that decides what a caller may reach. A parent manages its
 * direct clients; accounts higher up the channel may read them; anything else
 * is "not found", so ids cannot be probed. Every client query and command
 * asks here first.
 */
@Injectable()
export class ClientAccess {
  constructor(private readonly em: EntityManager) {}

  /** The account the caller acts for; operators and anonymous callers have none. */
  requireAccountCaller(caller: Caller): AccountCaller {
    if (!isAccountCaller(caller)) {
      throw new UnauthenticatedError('Sign in as a user of an account.');
    }
    return caller;
  }

  /** How the caller reaches the client, or 404. */
  async reachOf(caller: Caller, clientId: string): Promise<ClientReach> {
    const { accountId } = this.requireAccountCaller(caller);
    const depth = isUuid(clientId) ? await this.depthBelow(accountId, clientId) : null;
    if (depth === null) throw new NotFoundError('client');
    return depth === 1 ? 'parent' : 'ancestor';
  }

  /** The caller must be the client's direct parent: 403 for an ancestor (it may read), 404 otherwise. */
  async requireParent(caller: Caller, clientId: string): Promise<AccountCaller> {
    const reach = await this.reachOf(caller, clientId);
    if (reach !== 'parent') throw new ForbiddenError('Only the direct parent may change this client; accounts higher up may read it.');
    return caller as AccountCaller;
  }

  /** Listing another account's clients: allowed for the account itself and the accounts above it. */
  async requireCanListClientsOf(caller: Caller, accountId: string): Promise<void> {
    const { accountId: own } = this.requireAccountCaller(caller);
    if (accountId === own) return;
    if (!isUuid(accountId) || (await this.depthBelow(own, accountId)) === null) throw new NotFoundError('account');
  }

  /** Whether `descendantId` sits anywhere below `ancestorId` in the channel. */
  async isBelow(ancestorId: string, descendantId: string): Promise<boolean> {
    return (await this.depthBelow(ancestorId, descendantId)) !== null;
  }

  /** How many tiers `descendantId` sits below `ancestorId` through active relationships; null if it does not. */
  private async depthBelow(ancestorId: string, descendantId: string): Promise<number | null> {
    // The common case, a parent and its client, is one probe of a unique index.
    const direct = await queryPrepared<{ one: number }>(
      this.em,
      `select 1 as one from accounts.relationship where parent_id = ? and client_id = ? and status = 'active'`,
      [ancestorId, descendantId],
    );
    if (direct.length) return 1;
    const rows = await queryPrepared<{ depth: number | null }>(
      this.em,
      `with recursive up (id, depth) as (
         select parent_id, 1 from accounts.relationship where client_id = ? and status = 'active'
         union
         select r.parent_id, up.depth + 1 from accounts.relationship r join up on r.client_id = up.id
          where r.status = 'active' and up.depth < ${MAX_TIERS}
       )
       select min(depth) as depth from up where id = ?`,
      [descendantId, ancestorId],
    );
    return rows[0]?.depth ?? null;
  }
}
