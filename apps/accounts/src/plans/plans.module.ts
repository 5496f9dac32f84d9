import { Module } from '@nestjs/common';
import { ClientAccess } from '../access/client-access';
import { OutboxModule } from '../outbox/outbox.module';
import { CreateServicePlanHandler } from './create-service-plan/create-service-plan.handler';
import { GetServicePlanHandler } from './get-service-plan/get-service-plan.handler';
import { ListServicePlansHandler } from './list-service-plans/list-service-plans.handler';
import { PlanCatalogue } from './plan-catalogue';
import { ServicePlansController } from './service-plans.controller';
import { UpdateServicePlanHandler } from './update-service-plan/update-service-plan.handler';

const commandHandlers = [CreateServicePlanHandler, UpdateServicePlanHandler];
const queryHandlers = [GetServicePlanHandler, ListServicePlansHandler];

@Module({
  imports: [OutboxModule],
  controllers: [ServicePlansController],
  providers: [...commandHandlers, ...queryHandlers, PlanCatalogue, ClientAccess],
  exports: [PlanCatalogue],
})
export class PlansModule {}
