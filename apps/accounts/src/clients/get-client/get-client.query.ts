import { Query } from '@nestjs/cqrs';
import type { Caller, ClientResponse } from '@clientele/contracts';

export class GetClientQuery extends Query<ClientResponse> {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
  ) {
    super();
  }
}
