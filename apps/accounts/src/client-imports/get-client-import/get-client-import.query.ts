import { Query } from '@nestjs/cqrs';
import type { Caller, ClientImportResponse } from '@clientele/contracts';

export class GetClientImportQuery extends Query<ClientImportResponse> {
  constructor(
    readonly caller: Caller,
    readonly importId: string,
  ) {
    super();
  }
}
