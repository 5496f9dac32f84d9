import { Body, Controller, Get, Headers, Patch, Put, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConsumes, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AccountsRpc,
  ClientFormRequest,
  REQUIRED_BY_ACCOUNT_SETTINGS,
  UpdateOwnAccountRequest,
  type Caller,
  type ClientFormResponse,
  type ClientResponse,
} from '@clientele/contracts';
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

  @Get('client-form')
  @ApiOperation({
    summary: 'Your client form: the optional client fields your clients must have, and the defaults new clients get',
    description: 'Empty (`{"required": [], "defaults": {}}`) until you set one. A console reads it to mark the fields it asks for.',
  })
  @ApiOkResponse({ type: ClientFormRequest })
  getClientForm(@CurrentCaller() caller: Caller) {
    return this.bus.request<ClientFormResponse>(AccountsRpc.getClientForm, {}, caller);
  }

  @Put('client-form')
  @ApiOperation({
    summary: 'Replace your client form',
    description: [
      'Sets which optional fields of the client body your clients must have (`required`) and what new clients get when they leave a field out (`defaults`). ',
      'A member left out of the body is emptied. Answers 200 with the form as saved (language and currency written as on a client). From then on:\n\n',
      '- `POST /v1/clients` and every row of a `POST /v1/client-imports`: `defaults` fill the fields the body leaves out (given values win), ',
      'then a required field still missing answers 400 `validation_failed` (the row fails, for an import), naming each field in `errors` ',
      `as \`{ "field": "phone", "message": "${REQUIRED_BY_ACCOUNT_SETTINGS}" }\`.\n`,
      '- `PATCH /v1/clients/{id}` that sets a required field to null (an empty `billingEmails` list, a blank text) answers the same 400. ',
      'A client created before a field became required can still be patched in its other fields.\n\n',
      'The form applies to the clients you open and change, not to what your clients change of their own account (`PATCH /v1/account`).',
    ].join(''),
  })
  @ApiOkResponse({ type: ClientFormRequest, description: 'The form as saved' })
  @ApiBadRequestResponse({ description: '`validation_failed`: a field path the client form does not have (named), a path named twice, a default that is not valid for its client field, or an unknown key' })
  @ApiForbiddenResponse({ description: '`forbidden`: your account is a customer, which may not have clients, so it has no client form' })
  updateClientForm(@Body() form: ClientFormRequest, @CurrentCaller() caller: Caller) {
    return this.bus.request<ClientFormResponse>(AccountsRpc.updateClientForm, form, caller);
  }
}
