import { Injectable } from '@nestjs/common';
import type { UpdateClientRequest } from '@clientele/contracts';
import { Account } from '../domain/account.entity';
import { AccountNameTakenError, NotFoundError, UniqueIdentifierTakenError, VersionConflictError } from '../domain/domain-error';
import { Relationship } from '../domain/relationship.entity';
import { UnitOfWork, retryingConflicts } from '../outbox/unit-of-work';

/** Fields copied onto the relationship rows (list keys, uniqueness). */
const LIST_KEYS = new Set(['accountName', 'companyName', 'uniqueIdentifier', 'type', 'status']);

/**
 * Changes an account through its aggregate, in one transaction with its
 * events, keeping the copies on its relationships in step. A stale
 * `expectedVersion`, or a concurrent change, is a version conflict.
 */
@Injectable()
export class ClientUpdater {
  constructor(private readonly uow: UnitOfWork) {}

  async update(accountId: string, patch: UpdateClientRequest, expectedVersion?: number): Promise<void> {
    // Without If-Match the caller asked for "last write wins": a concurrent change is retried, not reported.
    return retryingConflicts(() => this.attempt(accountId, patch, expectedVersion), expectedVersion === undefined ? 3 : 1);
  }

  private async attempt(accountId: string, patch: UpdateClientRequest, expectedVersion?: number): Promise<void> {
    await this.uow.run(
        async (em) => {
          const account = await em.findOne(Account, accountId);
          if (!account) throw new NotFoundError('client');
          if (expectedVersion !== undefined && account.version !== expectedVersion) throw new VersionConflictError();
          const hasActiveClients =
            patch.type !== undefined &&
            (await em.count(Relationship, { parentId: accountId, status: 'active' })) > 0;
          const changed = account.applyPatch(patch, { now: new Date(), hasActiveClients });
          if (changed.some((field) => LIST_KEYS.has(field))) {
            const links = await em.find(Relationship, { clientId: accountId, status: 'active' });
            for (const link of links) link.copyKeysFrom(account);
          }
          return { result: undefined, aggregates: [account] };
        },
        (constraint) => {
          if (constraint === 'relationship_account_name_uq') return new AccountNameTakenError(patch.accountName ?? '');
          if (constraint === 'relationship_unique_identifier_uq') return new UniqueIdentifierTakenError();
          return undefined;
        },
      );
  }
}
