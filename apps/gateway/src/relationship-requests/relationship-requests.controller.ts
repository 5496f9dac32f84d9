import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AccountsRpc,
  CreateRelationshipRequest,
  PageRequest,
  type Caller,
  type Page,
  type RelationshipRequestResponse,
} from '@clientele/contracts';
import { CurrentCaller } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { CredentialRoute, fromPath } from '../limits/rate-limit.guard';

@ApiTags('relationships')
@ApiBearerAuth()
@Controller('v1/relationship-requests')
export class RelationshipRequestsController {
  constructor(private readonly bus: Bus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Invite an existing account, through one of its admins, to become your client' })
  @ApiIdempotencyKey()
  create(@Body() body: CreateRelationshipRequest, @CurrentCaller() caller: Caller, @IdempotencyKey() idempotencyKey: string | undefined) {
    return this.bus.request<RelationshipRequestResponse>(AccountsRpc.createRelationshipRequest, body, caller, { idempotencyKey });
  }

  @Get()
  @ApiOperation({ summary: 'Your requests to connect and their status' })
  list(@Query() page: PageRequest, @CurrentCaller() caller: Caller) {
    return this.bus.request<Page<RelationshipRequestResponse>>(AccountsRpc.listRelationshipRequests, page, caller);
  }

  @Post(':token/accept')
  @CredentialRoute(fromPath('token'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept, as an admin of the invited account: the inviter becomes your parent' })
  accept(@Param('token') token: string, @CurrentCaller() caller: Caller) {
    return this.bus.request<RelationshipRequestResponse>(AccountsRpc.acceptRelationshipRequest, { token }, caller);
  }

  @Post(':token/decline')
  @CredentialRoute(fromPath('token'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline, as an admin of the invited account' })
  decline(@Param('token') token: string, @CurrentCaller() caller: Caller) {
    return this.bus.request<RelationshipRequestResponse>(AccountsRpc.declineRelationshipRequest, { token }, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel a pending request' })
  async cancel(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.bus.request(AccountsRpc.cancelRelationshipRequest, { id }, caller);
  }
}
