import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { isUuid } from '../../domain/ids';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

/** The key stops working with the next request: every use is checked here. */
@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, keyId }: RevokeApiKeyCommand): Promise<void> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const revoked = isUuid(keyId)
      ? await this.em.execute<{ id: string }[]>(
          `update accounts.api_key set revoked_at = now() where id = ? and account_id = ? and revoked_at is null returning id`,
          [keyId, accountId],
        )
      : [];
    if (!revoked.length) throw new NotFoundError('API key');
  }
}
