import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AccountsRpc,
  CreateApiKeyRequest,
  ListApiKeysRequest,
  type ApiKeyResponse,
  type Caller,
  type CreatedApiKeyResponse,
  type Page,
} from '@clientele/contracts';
import { CurrentCaller } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';

@ApiTags('API keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly bus: Bus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'A new key for your account, acting as an admin; the key is in this answer only',
    description: 'Idempotency-Key is not honoured here: replaying the answer would mean storing the key. A retried create makes a second key; revoke the one you did not receive.',
  })
  async create(
    @Body() body: CreateApiKeyRequest,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedApiKeyResponse> {
    const created = await this.bus.request<CreatedApiKeyResponse>(AccountsRpc.createApiKey, body, caller);
    void reply.header('Cache-Control', 'no-store');
    return created;
  }

  @Get()
  @ApiOperation({ summary: "Your account's keys that still work, without the keys" })
  list(@Query() filter: ListApiKeysRequest, @CurrentCaller() caller: Caller) {
    return this.bus.request<Page<ApiKeyResponse>>(AccountsRpc.listApiKeys, filter, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key: it stops working at once' })
  async revoke(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.bus.request(AccountsRpc.revokeApiKey, { id }, caller);
  }
}
