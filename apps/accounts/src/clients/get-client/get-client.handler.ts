import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { ClientReadModel } from '../client.read-model';
import { GetClientQuery } from './get-client.query';

@QueryHandler(GetClientQuery)
export class GetClientHandler implements IQueryHandler<GetClientQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller, clientId }: GetClientQuery): Promise<ClientResponse> {
    const reach = await this.access.reachOf(caller, clientId);
    const client = await this.clients.findOne(clientId, { withAdminNotes: reach === 'parent' });
    if (!client) throw new NotFoundError('client');
    return client;
  }
}
