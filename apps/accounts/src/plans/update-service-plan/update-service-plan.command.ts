import { Command } from '@nestjs/cqrs';
import type { Caller, ServicePlanResponse, UpdateServicePlanRequest } from '@clientele/contracts';

export class UpdateServicePlanCommand extends Command<ServicePlanResponse> {
  constructor(
    readonly caller: Caller,
    readonly planId: string,
    readonly patch: UpdateServicePlanRequest,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
