import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AccountsRpc,
  CreateClientRequest,
  ListClientsRequest,
  type Caller,
  type ClientResponse,
  type ClientSummary,
  type Page,
} from '@clientele/contracts';
import { CurrentCaller } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';
import { etagOf } from '../http/etag';

@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1/clients')
export class ClientsController {
  constructor(private readonly bus: Bus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Create a client under the caller's account" })
  async create(@Body() body: CreateClientRequest, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply) {
    const client = await this.bus.request<ClientResponse>(AccountsRpc.createClient, body, caller);
    void reply.header('Location', `/v1/clients/${client.id}`).header('ETag', etagOf(client));
    return client;
  }

  @Get()
  @ApiOperation({ summary: "The caller's clients, keyset-paginated" })
  list(@Query() filter: ListClientsRequest, @CurrentCaller() caller: Caller) {
    return this.bus.request<Page<ClientSummary>>(AccountsRpc.listClients, filter, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One client' })
  async get(@Param('id') id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply) {
    const client = await this.bus.request<ClientResponse>(AccountsRpc.getClient, { id }, caller);
    void reply.header('ETag', etagOf(client));
    return client;
  }
}
