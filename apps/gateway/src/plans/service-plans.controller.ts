import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AccountsRpc,
  CreateServicePlanRequest,
  ListServicePlansRequest,
  UpdateServicePlanRequest,
  type Caller,
  type Page,
  type ServicePlanResponse,
} from '@clientele/contracts';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { CurrentCaller } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';
import { etagOf, expectedVersion } from '../http/etag';

@ApiTags('service plans')
@ApiBearerAuth()
@Controller('v1/service-plans')
export class ServicePlansController {
  constructor(private readonly bus: Bus) {}

  @Get()
  @ApiOperation({ summary: 'Your plan catalogue' })
  list(@Query() filter: ListServicePlansRequest, @CurrentCaller() caller: Caller) {
    return this.bus.request<Page<ServicePlanResponse>>(AccountsRpc.listServicePlans, filter, caller);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a plan to your catalogue' })
  @ApiIdempotencyKey()
  async create(@Body() body: CreateServicePlanRequest, @CurrentCaller() caller: Caller, @IdempotencyKey() idempotencyKey: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const plan = await this.bus.request<ServicePlanResponse>(AccountsRpc.createServicePlan, body, caller, { idempotencyKey });
    void reply.header('Location', `/v1/service-plans/${plan.id}`).header('ETag', etagOf(plan));
    return plan;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One plan of your catalogue' })
  async get(@Param('id') id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply) {
    const plan = await this.bus.request<ServicePlanResponse>(AccountsRpc.getServicePlan, { id }, caller);
    void reply.header('ETag', etagOf(plan));
    return plan;
  }

  @Patch(':id')
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiOperation({ summary: 'Rename or retire a plan (JSON merge patch); assigned licences stay' })
  async update(
    @Param('id') id: string,
    @Body() patch: UpdateServicePlanRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const payload = { id, patch, expectedVersion: expectedVersion(ifMatch, id) };
    const plan = await this.bus.request<ServicePlanResponse>(AccountsRpc.updateServicePlan, payload, caller);
    void reply.header('ETag', etagOf(plan));
    return plan;
  }
}
