import { Query } from '@nestjs/cqrs';
import type { Caller, ClientResponse } from '@clientele/contracts';

export class GetOwnAccountQuery extends Query<ClientResponse> {
  constructor(readonly caller: Caller) {
    super();
  }
}
