import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { ClientReadModel } from '../../clients/client.read-model';
import { NotFoundError } from '../../domain/domain-error';
import { GetOwnAccountQuery } from './get-own-account.query';

/** The caller's own account: never with the admin notes its parents keep about it. */
@QueryHandler(GetOwnAccountQuery)
export class GetOwnAccountHandler implements IQueryHandler<GetOwnAccountQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller }: GetOwnAccountQuery): Promise<ClientResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const account = await this.clients.findOne(accountId, { withAdminNotes: false });
    if (!account) throw new NotFoundError('account');
    return account;
  }
}
