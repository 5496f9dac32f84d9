import { Query } from '@nestjs/cqrs';
import type { ApiKeyResponse, Caller, ListApiKeysRequest, Page } from '@clientele/contracts';

export class ListApiKeysQuery extends Query<Page<ApiKeyResponse>> {
  constructor(readonly caller: Caller, readonly filter: ListApiKeysRequest) {
    super();
  }
}
