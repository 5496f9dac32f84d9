import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Page, RelationshipRequestResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { RelationshipRequest } from '../../domain/relationship-request.entity';
import { decodeCursor, keysetPage } from '../../shared/cursor';
import { relationshipRequestView } from '../relationship-request.view';
import { ListRelationshipRequestsQuery } from './list-relationship-requests.query';

@QueryHandler(ListRelationshipRequestsQuery)
export class ListRelationshipRequestsHandler implements IQueryHandler<ListRelationshipRequestsQuery> {
  constructor(private readonly access: ClientAccess, private readonly em: EntityManager) {}

  async execute({ caller, limit, cursor }: ListRelationshipRequestsQuery): Promise<Page<RelationshipRequestResponse>> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const where: Record<string, unknown> = { fromAccountId: accountId };
    if (cursor) {
      const position = decodeCursor(cursor, 'createdAt');
      where.$or = [{ createdAt: { $gt: new Date(position.value) } }, { createdAt: new Date(position.value), id: { $gt: position.id } }];
    }
    const rows = await this.em.find(RelationshipRequest, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
    const keyed = rows.map((request) => ({ request, sort_key: request.createdAt.toISOString() }));
    return keysetPage(keyed, limit, 'createdAt', ({ request }) => request.id, ({ request }) => relationshipRequestView(request));
  }
}
