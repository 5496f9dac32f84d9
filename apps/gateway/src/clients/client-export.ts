import { Injectable } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { AccountsRpc, type Caller, type ClientExportRecord, type ExportClientsRequest, type ListClientsRequest, type Page } from '@clientele/contracts';
import { Bus } from '../bus/accounts.bus';
import { EXPORT_COLUMNS, rowOfClient } from '../client-imports/client-csv';
import { csvDownload, csvStream } from '../http/csv';

type ExportPage = Page<ClientExportRecord>;

/**
 * `GET /v1/clients` as CSV: every client the list's filters select, in its
 * sort, read from accounts page after page (as many rows as fit in one NATS
 * message) and written as they come. The next page is asked for while the
 * current one is written, and no further: what the client does not read
 * holds the export back, so memory stays flat however many clients there are.
 */
@Injectable()
export class ClientExport {
  constructor(private readonly bus: Bus) {}

  async export(filter: ListClientsRequest, caller: Caller, reply: FastifyReply): Promise<Readable> {
    const { limit: _limit, cursor: _cursor, ...query } = filter;
    // Pages are read when the connection asks for more, outside this request's async context: bound to it, each
    // request to accounts still carries the request id and trace.
    const page = AsyncResource.bind((cursor: string | undefined) =>
      this.bus.request<ExportPage>(AccountsRpc.exportClients, { ...query, ...(cursor ? { cursor } : {}) } satisfies ExportClientsRequest, caller),
    );
    // The first page before the answer starts: a refusal (an account outside your reach) is still a problem answer.
    const first = await page(undefined);
    const filename = `clients-${new Date().toISOString().slice(0, 10)}.csv`;
    return csvDownload(reply, filename, csvStream(EXPORT_COLUMNS, rowsOf(first, page)));
  }
}

async function* rowsOf(first: ExportPage, page: (cursor: string) => Promise<ExportPage>): AsyncGenerator<ReturnType<typeof rowOfClient>[]> {
  for (let current = first; ; ) {
    const next = current.nextCursor ? page(current.nextCursor) : undefined;
    // Awaited below; a reader that goes away first leaves it unobserved, which is not an error.
    next?.catch(() => undefined);
    yield current.data.map(rowOfClient);
    if (!next) return;
    current = await next;
  }
}
