import { Injectable } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { AccountsRpc, type AuditEventResponse, type Caller, type ListAuditEventsRequest, type Page } from '@clientele/contracts';
import { Bus } from '../bus/accounts.bus';
import { csvDownload, csvStream, type CsvCell } from '../http/csv';

type AuditPage = Page<AuditEventResponse>;

/** The CSV's columns: an entry's fields, nested ones by their path; `changes` as its JSON. */
export const AUDIT_COLUMNS = [
  'id', 'occurredAt', 'action', 'actor.type', 'actor.id', 'actor.email', 'target.type', 'target.id', 'target.name',
  'changes', 'context.ip', 'context.userAgent', 'context.requestId',
] as const;

/** The longest page accounts answers: the fewer round trips, the better. */
const PAGE_LIMIT = 200;

/**
 * `GET /v1/audit-events` as CSV: every entry the filters select, newest
 * first, read from accounts page after page and written as they come. The
 * next page is asked for while the current one is written, and no further,
 * so memory stays flat however long the trail.
 */
@Injectable()
export class AuditExport {
  constructor(private readonly bus: Bus) {}

  async export(filter: ListAuditEventsRequest, caller: Caller, reply: FastifyReply): Promise<Readable> {
    const { limit: _limit, cursor, ...query } = filter;
    // Pages are read when the connection asks for more, outside this request's async context: bound to it, each
    // request to accounts still carries the request id and trace.
    const page = AsyncResource.bind((from: string | undefined) =>
      this.bus.request<AuditPage>(AccountsRpc.listAuditEvents, { ...query, limit: PAGE_LIMIT, ...(from ? { cursor: from } : {}) } satisfies ListAuditEventsRequest, caller),
    );
    // The first page before the answer starts: a refusal (a client outside your reach, a forged cursor) is still a problem answer.
    const first = await page(cursor);
    const filename = `audit-events-${new Date().toISOString().slice(0, 10)}.csv`;
    return csvDownload(reply, filename, csvStream(AUDIT_COLUMNS, rowsOf(first, page)));
  }
}

async function* rowsOf(first: AuditPage, page: (cursor: string) => Promise<AuditPage>): AsyncGenerator<CsvCell[][]> {
  for (let current = first; ; ) {
    const next = current.nextCursor ? page(current.nextCursor) : undefined;
    // Awaited below; a reader that goes away first leaves it unobserved, which is not an error.
    next?.catch(() => undefined);
    yield current.data.map(rowOfEntry);
    if (!next) return;
    current = await next;
  }
}

export function rowOfEntry(entry: AuditEventResponse): CsvCell[] {
  return [
    entry.id, entry.occurredAt, entry.action, entry.actor.type, entry.actor.id, entry.actor.email, entry.target.type, entry.target.id,
    entry.target.name, JSON.stringify(entry.changes), entry.context.ip, entry.context.userAgent, entry.context.requestId,
  ];
}
