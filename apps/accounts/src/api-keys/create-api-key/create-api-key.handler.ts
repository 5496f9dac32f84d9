import { randomInt } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { CreatedApiKeyResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { ForbiddenError } from '../../domain/domain-error';
import { newId } from '../../domain/ids';
import { hashSecretToken, newSecretToken } from '../../domain/secret-token';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { API_KEY_COLUMNS, apiKeyView, type ApiKeyRow } from '../api-key-view';
import { CreateApiKeyCommand } from './create-api-key.command';

const PREFIX_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A new key for the caller's account, answered this once. Only a signed-in
 * user may create one: a leaked key must not be able to mint its successors.
 */
@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler implements ICommandHandler<CreateApiKeyCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ caller, name }: CreateApiKeyCommand): Promise<CreatedApiKeyResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    if (caller.kind !== 'user') throw new ForbiddenError('API keys are created by a signed-in user, not with another API key.');
    const prefix = Array.from({ length: 12 }, () => PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)]).join('');
    const key = `ck_${prefix}_${newSecretToken().token}`;
    // The trail names the key, never the key itself or its hash.
    const row = await this.uow.run(async (em) => {
      const [created] = await em.execute<ApiKeyRow[]>(
        `insert into accounts.api_key (id, account_id, name, prefix, key_hash, created_by, created_at)
         values (?, ?, ?, ?, ?, ?, now()) returning ${API_KEY_COLUMNS}`,
        [newId(), accountId, name, prefix, hashSecretToken(key), caller.userId],
      );
      const target = { type: 'api-key', id: created.id, name };
      return { result: created, aggregates: [], audit: [{ accountId, action: 'api-key.created', target }] };
    });
    return { ...apiKeyView(row), key };
  }
}
