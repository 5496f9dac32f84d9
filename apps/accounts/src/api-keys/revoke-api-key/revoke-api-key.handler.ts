import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { isUuid } from '../../domain/ids';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

/** The key stops working with the next request: every use is checked here. */
@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ caller, keyId }: RevokeApiKeyCommand): Promise<void> {
    const { accountId } = this.access.requireAccountCaller(caller);
    if (!isUuid(keyId)) throw new NotFoundError('API key');
    await this.uow.run(async (em) => {
      const [revoked] = await em.execute<{ id: string; name: string }[]>(
        `update accounts.api_key set revoked_at = now() where id = ? and account_id = ? and revoked_at is null returning id, name`,
        [keyId, accountId],
      );
      if (!revoked) throw new NotFoundError('API key');
      const target = { type: 'api-key', id: revoked.id, name: revoked.name };
      return { result: null, aggregates: [], audit: [{ accountId, action: 'api-key.revoked', target }] };
    });
  }
}
