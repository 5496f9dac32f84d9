import { Query } from '@nestjs/cqrs';
import type { Caller, ClientFormResponse } from '@clientele/contracts';

export class GetClientFormQuery extends Query<ClientFormResponse> {
  constructor(readonly caller: Caller) {
    super();
  }
}
