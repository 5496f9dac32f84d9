import { Query } from '@nestjs/cqrs';
import type { Caller, ClientSummary, Page } from '@clientele/contracts';

export class ListPartnersQuery extends Query<Page<ClientSummary>> {
  constructor(
    readonly caller: Caller,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
