import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { ClientReadModel } from '../client.read-model';
import { toClientResponse } from '../client.view';
import { isUuid } from '../../domain/ids';
import { GetClientQuery } from './get-client.query';

@QueryHandler(GetClientQuery)
export class GetClientHandler implements IQueryHandler<GetClientQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller, clientId }: GetClientQuery): Promise<ClientResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const found = isUuid(clientId) ? await this.clients.findWithParentCheck(clientId, accountId) : null;
    if (!found) throw new NotFoundError('client');
    // A parent reading its client is answered by that one query; anyone else is asked about first (404 or an ancestor).
    const reach = found.viewerIsParent ? 'parent' : await this.access.reachOf(caller, clientId);
    return toClientResponse(found.row, { withAdminNotes: reach === 'parent' });
  }
}
