import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AccountsRpc, ListAuditEventsRequest, type Caller } from '@clientele/contracts';
import { CurrentCaller } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';
import { prefersCsv } from '../http/csv';
import { AuditExport } from './audit-export';

@ApiTags('audit trail')
@ApiBearerAuth()
@Controller('v1/audit-events')
export class AuditEventsController {
  constructor(
    private readonly bus: Bus,
    private readonly exporter: AuditExport,
  ) {}

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Who did what: the audit trail of your account and of the clients below it, newest first, in keyset pages',
    description:
      'Each entry: `{ id, occurredAt, action, actor: { type: user|api-key|operator|system, id, email? }, target: { type, id, name? }, ' +
      'changes: { "<field>": { from, to } }, context: { ip, userAgent, requestId } }`. Every change answered 2xx has exactly one entry ' +
      '(a creation that also invites the owner is one `client.created`), written in the same transaction as the change; so do sign-ins ' +
      'and failed sign-ins (in the trail of the account whose user has that e-mail), API keys created and revoked, service plans, ' +
      'client-form changes and imports. `action` is an event type without `accounts.` or one of `auth.signed-in`, `auth.sign-in-failed`, ' +
      '`auth.password-reset`, `api-key.created`, `api-key.revoked`, `service-plan.created`, `service-plan.updated`, ' +
      '`relationship-request.cancelled`, `client-form.updated`, `client-import.created`. The actor of a failed sign-in is the e-mail tried, ' +
      'with no id; the system is the expiry sweep. No entry ever holds a password, token, key or hash. `adminNotes` changes show only to ' +
      "the client's direct parent: the client's own users and accounts higher up never see them (an entry that changed nothing else is " +
      'left out). `?clientId=` narrows to one client below you (or your own account); a client outside your reach answers 404. ' +
      '`since` is inclusive, `until` exclusive; a page may hold fewer than `limit` entries when they are long (it stays under 768 KiB). ' +
      'Entries are kept for `AUDIT_RETENTION` (400 days by default). With `Accept: text/csv`: every entry the same filters select ' +
      '(from `cursor` on, if given; `limit` does not apply), newest first, streamed as CSV (UTF-8 with a byte order mark, RFC 4180 ' +
      'quoting, CRLF line ends) in the columns `id, occurredAt, action, actor.type, actor.id, actor.email, target.type, target.id, ' +
      "target.name, changes` (its JSON) `, context.ip, context.userAgent, context.requestId`; a cell a spreadsheet would run as a " +
      "formula is written with a leading `'`.",
  })
  async list(
    @Query() filter: ListAuditEventsRequest,
    @Headers('accept') accept: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (prefersCsv(accept)) return this.exporter.export(filter, caller, reply);
    // A page is passed on as accounts wrote it, not parsed and written again.
    void reply.type('application/json; charset=utf-8');
    return await this.bus.requestJson(AccountsRpc.listAuditEvents, filter, caller);
  }
}
