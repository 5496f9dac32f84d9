import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountCaller, AccountType, Caller } from '@clientele/contracts';
import type { ClientAccess } from '../access/client-access';
import { Account } from '../domain/account.entity';
import { NotFoundError } from '../domain/domain-error';
import { queryPrepared } from '../shared/prepared';

/**
 * The caller of an import, which must act for an account that may have
 * clients: a customer is refused (403) as `POST /v1/clients` refuses it,
 * before anything is stored.
 */
export async function requireImportingAccount(access: ClientAccess, em: EntityManager, caller: Caller): Promise<AccountCaller> {
  const importer = access.requireAccountCaller(caller);
  const [account] = await queryPrepared<{ type: AccountType }>(em, `select type from accounts.account where id = ?`, [importer.accountId]);
  if (!account) throw new NotFoundError('account');
  Account.assertMayOpenUnder({ id: importer.accountId, type: account.type });
  return importer;
}
