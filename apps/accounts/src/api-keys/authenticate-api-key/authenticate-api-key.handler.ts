import { timingSafeEqual } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { type ApiKeyPrincipal } from '@clientele/contracts';
import { UnauthenticatedError } from '../../domain/domain-error';
import { AuthenticateApiKeyCommand } from './authenticate-api-key.command';

/** Last-used times move at most this often, so a busy key is not a write per request. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/**
 * Finds a key by its prefix and proves it by its hash, compared in constant
 * time. Revoked keys are not found.
 */
@CommandHandler(AuthenticateApiKeyCommand)
export class AuthenticateApiKeyHandler implements ICommandHandler<AuthenticateApiKeyCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ prefix, keyHash }: AuthenticateApiKeyCommand): Promise<ApiKeyPrincipal> {
    const [key] = await this.em.execute<{ id: string; account_id: string; key_hash: string; stale: boolean }[]>(
      `select id, account_id, key_hash,
              last_used_at is null or last_used_at < now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}) as stale
         from accounts.api_key where prefix = ? and revoked_at is null`,
      [prefix],
    );
    const expected = Buffer.from(key?.key_hash ?? '0'.repeat(64), 'hex');
    const matches = timingSafeEqual(expected, Buffer.from(keyHash, 'hex')) && !!key;
    if (!matches) throw new UnauthenticatedError('The API key is not valid or was revoked.');
    if (key.stale) await this.em.execute(`update accounts.api_key set last_used_at = now() where id = ?`, [key.id]);
    return { keyId: key.id, accountId: key.account_id };
  }
}
