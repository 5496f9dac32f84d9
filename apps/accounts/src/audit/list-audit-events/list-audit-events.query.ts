import { Query } from '@nestjs/cqrs';
import type { AuditEventResponse, Caller, ListAuditEventsRequest, Page } from '@clientele/contracts';

export class ListAuditEventsQuery extends Query<Page<AuditEventResponse>> {
  constructor(readonly caller: Caller, readonly filter: ListAuditEventsRequest) {
    super();
  }
}
