import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AccountsRpc,
  CreatePartnerRequest,
  PageRequest,
  type Caller,
  type ClientResponse,
  type ClientSummary,
  type Page,
} from '@clientele/contracts';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { CurrentCaller, OperatorOnly } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';
import { etagOf } from '../http/etag';

@ApiTags('partners (operator)')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/partners')
export class PartnersController {
  constructor(private readonly bus: Bus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a top-level partner account (group, distributor or reseller)' })
  @ApiIdempotencyKey()
  async create(@Body() body: CreatePartnerRequest, @CurrentCaller() caller: Caller, @IdempotencyKey() idempotencyKey: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const partner = await this.bus.request<ClientResponse>(AccountsRpc.createPartner, body, caller, { idempotencyKey });
    void reply.header('ETag', etagOf(partner));
    return partner;
  }

  @Get()
  @ApiOperation({ summary: 'List partners' })
  list(@Query() page: PageRequest, @CurrentCaller() caller: Caller) {
    return this.bus.request<Page<ClientSummary>>(AccountsRpc.listPartners, page, caller);
  }
}
