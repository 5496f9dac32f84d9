import { Query } from '@nestjs/cqrs';
import type { Caller, ClientExportRecord, ExportClientsRequest, Page } from '@clientele/contracts';

export class ExportClientsQuery extends Query<Page<ClientExportRecord>> {
  constructor(
    readonly caller: Caller,
    readonly filter: ExportClientsRequest,
  ) {
    super();
  }
}
