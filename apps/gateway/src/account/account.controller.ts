import { Body, Controller, Get, Headers, Patch, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AccountsRpc, UpdateOwnAccountRequest, type Caller, type ClientResponse } from '@clientele/contracts';
import { CurrentCaller } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';
import { etagOf, expectedVersion } from '../http/etag';

@ApiTags('account')
@ApiBearerAuth()
@Controller('v1/account')
export class AccountController {
  constructor(private readonly bus: Bus) {}

  @Get()
  @ApiOperation({ summary: "The caller's own account" })
  async get(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply) {
    const account = await this.bus.request<ClientResponse>(AccountsRpc.getOwnAccount, {}, caller);
    void reply.header('ETag', etagOf(account));
    return account;
  }

  @Patch()
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiOperation({ summary: "Update the caller's own account (JSON merge patch)" })
  async update(
    @Body() patch: UpdateOwnAccountRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const accountId = 'accountId' in caller ? caller.accountId : '';
    const payload = { patch, expectedVersion: expectedVersion(ifMatch, accountId) };
    const account = await this.bus.request<ClientResponse>(AccountsRpc.updateOwnAccount, payload, caller);
    void reply.header('ETag', etagOf(account));
    return account;
  }
}
