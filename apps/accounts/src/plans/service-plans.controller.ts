import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountsRpc,
  CreateServicePlanRequest,
  ListServicePlansRequest,
  ServicePlanIdPayload,
  UpdateServicePlanPayload,
  type Caller,
} from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { CreateServicePlanCommand } from './create-service-plan/create-service-plan.command';
import { GetServicePlanQuery } from './get-service-plan/get-service-plan.query';
import { ListServicePlansQuery } from './list-service-plans/list-service-plans.query';
import { UpdateServicePlanCommand } from './update-service-plan/update-service-plan.command';

@Controller()
export class ServicePlansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(AccountsRpc.listServicePlans)
  list(@Payload() filter: ListServicePlansRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListServicePlansQuery(caller, filter));
  }

  @MessagePattern(AccountsRpc.createServicePlan)
  @Idempotent()
  create(@Payload() body: CreateServicePlanRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new CreateServicePlanCommand(caller, body));
  }

  @MessagePattern(AccountsRpc.getServicePlan)
  get(@Payload() { id }: ServicePlanIdPayload, @CallerParam() caller: Caller) {
    return this.queries.execute(new GetServicePlanQuery(caller, id));
  }

  @MessagePattern(AccountsRpc.updateServicePlan)
  update(@Payload() { id, patch, expectedVersion }: UpdateServicePlanPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new UpdateServicePlanCommand(caller, id, patch, expectedVersion));
  }
}
