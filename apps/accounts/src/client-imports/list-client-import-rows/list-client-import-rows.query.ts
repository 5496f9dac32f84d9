import { Query } from '@nestjs/cqrs';
import type { Caller, ClientImportRowResult, ListClientImportRowsPayload, Page } from '@clientele/contracts';

export class ListClientImportRowsQuery extends Query<Page<ClientImportRowResult>> {
  constructor(
    readonly caller: Caller,
    readonly filter: ListClientImportRowsPayload,
  ) {
    super();
  }
}
