import { Query } from '@nestjs/cqrs';
import type { Caller, ClientSummary, ListClientsRequest, Page } from '@clientele/contracts';

export class ListClientsQuery extends Query<Page<ClientSummary>> {
  constructor(
    readonly caller: Caller,
    readonly filter: ListClientsRequest,
  ) {
    super();
  }
}
