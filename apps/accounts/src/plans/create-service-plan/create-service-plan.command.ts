import { Command } from '@nestjs/cqrs';
import type { Caller, CreateServicePlanRequest, ServicePlanResponse } from '@clientele/contracts';

export class CreateServicePlanCommand extends Command<ServicePlanResponse> {
  constructor(
    readonly caller: Caller,
    readonly body: CreateServicePlanRequest,
  ) {
    super();
  }
}
