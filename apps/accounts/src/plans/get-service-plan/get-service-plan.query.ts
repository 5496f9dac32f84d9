import { Query } from '@nestjs/cqrs';
import type { Caller, ServicePlanResponse } from '@clientele/contracts';

export class GetServicePlanQuery extends Query<ServicePlanResponse> {
  constructor(
    readonly caller: Caller,
    readonly planId: string,
  ) {
    super();
  }
}
