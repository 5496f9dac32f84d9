import { Query } from '@nestjs/cqrs';
import type { Caller, ClientImportResponse, ListClientImportsRequest, Page } from '@clientele/contracts';

export class ListClientImportsQuery extends Query<Page<ClientImportResponse>> {
  constructor(
    readonly caller: Caller,
    readonly filter: ListClientImportsRequest,
  ) {
    super();
  }
}
