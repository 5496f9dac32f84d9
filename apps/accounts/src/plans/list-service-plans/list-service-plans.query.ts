import { Query } from '@nestjs/cqrs';
import type { Caller, ListServicePlansRequest, Page, ServicePlanResponse } from '@clientele/contracts';

export class ListServicePlansQuery extends Query<Page<ServicePlanResponse>> {
  constructor(
    readonly caller: Caller,
    readonly filter: ListServicePlansRequest,
  ) {
    super();
  }
}
