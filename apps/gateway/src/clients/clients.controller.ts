import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AccountsRpc,
  CreateClientRequest,
  ListClientsRequest,
  NotificationsRpc,
  UpdateClientRequest,
  type Caller,
  type EmailLogEntry,
  type ClientResponse,
  type Page,
} from '@clientele/contracts';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { CurrentCaller } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';
import { etagOf, expectedVersion } from '../http/etag';
import { prefersCsv } from '../http/csv';
import { ClientExport } from './client-export';

@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1/clients')
export class ClientsController {
  constructor(
    private readonly bus: Bus,
    private readonly exporter: ClientExport,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: "Create a client under the caller's account",
    description:
      "Your client form (`PUT /v1/account/client-form`) applies: its defaults fill the fields the body leaves out (given values win), " +
      "then each field it requires that is still missing is named in a 400 `validation_failed` with the message \"is required by your account's settings\".",
  })
  @ApiIdempotencyKey()
  async create(@Body() body: CreateClientRequest, @CurrentCaller() caller: Caller, @IdempotencyKey() idempotencyKey: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const client = await this.bus.request<ClientResponse>(AccountsRpc.createClient, body, caller, { idempotencyKey });
    void reply.header('Location', `/v1/clients/${client.id}`);
    return this.withEtag(reply, client);
  }

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: "The caller's clients, keyset-paginated; with Accept: text/csv, all of them as a CSV download",
    description:
      'With `Accept: text/csv`: every client the same filters select, in the same sort, streamed as CSV (UTF-8 with a byte order mark, ' +
      'RFC 4180 quoting, CRLF line ends) in the columns of an import file followed by `id`, `status`, `owner.status` and `createdAt`; ' +
      '`limit` and `cursor` do not apply. A cell that a spreadsheet would run as a formula (one starting with `=`, `@`, a tab or a carriage ' +
      "return, or with `+` or `-` not followed by a digit) is written with a leading `'`, which an import removes: an export imports again. " +
      "`adminNotes` is filled only for your own clients (not with `?parent=`).",
  })
  async list(
    @Query() filter: ListClientsRequest,
    @Headers('accept') accept: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (prefersCsv(accept)) return this.exporter.export(filter, caller, reply);
    // A page is passed on as accounts wrote it: parsing a hundred rows only to write them out again cost the gateway.
    void reply.type('application/json; charset=utf-8');
    return await this.bus.requestJson(AccountsRpc.listClients, filter, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One client (its parent and the accounts above may read it)' })
  async get(@Param('id') id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.withEtag(reply, await this.bus.request<ClientResponse>(AccountsRpc.getClient, { id }, caller));
  }

  @Patch(':id')
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiOperation({
    summary: 'Update a client (JSON merge patch); If-Match with its ETag guards against lost updates',
    description:
      "Setting a field your client form requires (`PUT /v1/account/client-form`) to null, or `billingEmails` to an empty list, answers 400 " +
      "`validation_failed` naming it (\"is required by your account's settings\"). Fields the patch leaves out are not checked: a client " +
      'created before a field became required can still be changed in its other fields.',
  })
  async update(
    @Param('id') id: string,
    @Body() patch: UpdateClientRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const payload = { id, patch, expectedVersion: expectedVersion(ifMatch, id) };
    return this.withEtag(reply, await this.bus.request<ClientResponse>(AccountsRpc.updateClient, payload, caller));
  }

  @Post(':id/activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Turn the Active client switch on' })
  @ApiIdempotencyKey()
  async activate(@Param('id') id: string, @CurrentCaller() caller: Caller, @IdempotencyKey() idempotencyKey: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.withEtag(reply, await this.bus.request<ClientResponse>(AccountsRpc.activateClient, { id }, caller, { idempotencyKey }));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Turn the Active client switch off' })
  @ApiIdempotencyKey()
  async deactivate(@Param('id') id: string, @CurrentCaller() caller: Caller, @IdempotencyKey() idempotencyKey: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.withEtag(reply, await this.bus.request<ClientResponse>(AccountsRpc.deactivateClient, { id }, caller, { idempotencyKey }));
  }

  @Delete(':id/relationship')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the relationship: you lose access; the account itself is kept' })
  async endRelationship(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.bus.request(AccountsRpc.endRelationship, { id }, caller);
  }

  @Post(':id/invitation/resend')
  @HttpCode(202)
  @ApiOperation({ summary: "Send the owner a new link with a new 14-day window; older links stop working" })
  async resendInvitation(@Param('id') id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.withEtag(reply, await this.bus.request<ClientResponse>(AccountsRpc.resendInvitation, { id }, caller));
  }

  @Delete(':id/invitation')
  @HttpCode(204)
  @ApiOperation({ summary: "Withdraw the owner's pending invitation" })
  async revokeInvitation(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.bus.request(AccountsRpc.revokeInvitation, { id }, caller);
  }

  @Get(':id/emails')
  @ApiOperation({ summary: 'The e-mails sent about a client, with their delivery status' })
  async emails(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    // accounts decides whether the caller may see this client; notifications only keeps the log.
    await this.bus.request<ClientResponse>(AccountsRpc.getClient, { id }, caller);
    return this.bus.request<Page<EmailLogEntry>>(NotificationsRpc.listEmails, { clientId: id }, caller);
  }

  private withEtag(reply: FastifyReply, client: ClientResponse): ClientResponse {
    void reply.header('ETag', etagOf(client));
    return client;
  }
}
