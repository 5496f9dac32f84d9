import { Query } from '@nestjs/cqrs';
import type { Caller, Page, RelationshipRequestResponse } from '@clientele/contracts';

export class ListRelationshipRequestsQuery extends Query<Page<RelationshipRequestResponse>> {
  constructor(readonly caller: Caller, readonly limit: number, readonly cursor?: string) {
    super();
  }
}
