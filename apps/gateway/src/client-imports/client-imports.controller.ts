import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AccountsRpc,
  CLIENT_IMPORT_MAX_BYTES,
  CreateClientImportRequest,
  ListClientImportRowsRequest,
  ListClientImportsRequest,
  type Caller,
  type ClientImportResponse,
  type ClientImportRowResult,
  type Page,
} from '@clientele/contracts';
import { CurrentCaller } from '../auth/auth.guard';
import { Bus } from '../bus/accounts.bus';
import { csvDownload, csvStream } from '../http/csv';
import type { RouteBodyConfig } from '../http/http-setup';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IMPORT_COLUMNS, TEMPLATE_ROWS } from './client-csv';
import { rowsOfCsv, rowsOfJson } from './import-file';
import { startImport } from './import-upload';

/** The import route takes a 5 MiB body, as CSV too; every other route keeps the 1 MiB JSON limit. */
const IMPORT_BODY: RouteBodyConfig = { bodyLimit: CLIENT_IMPORT_MAX_BYTES, csv: true };

@ApiTags('client imports')
@ApiBearerAuth()
@ApiExtraModels(CreateClientImportRequest)
@Controller('v1/client-imports')
export class ClientImportsController {
  constructor(private readonly bus: Bus) {}

  @Post()
  @HttpCode(202)
  @RouteConfig(IMPORT_BODY)
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({
    description:
      `A CSV file (UTF-8, a byte order mark allowed, comma-separated, RFC 4180 quoting; the first line names the columns: ${IMPORT_COLUMNS.join(', ')}) ` +
      'or `{ "rows": [client body, ...] }`.',
    schema: { oneOf: [{ type: 'string', description: 'text/csv' }, { $ref: getSchemaPath(CreateClientImportRequest) }] },
  })
  @ApiOperation({
    summary: 'Import up to 1,000 clients from a file: 202 at once, the rows created in the background',
    description:
      'At most 1,000 rows and 5 MiB (413 beyond). Columns: `accountName`, `companyName`, `address.country`, `address.region`, `address.city`, ' +
      '`owner.firstName`, `owner.lastName` and `owner.email` are required; the others may be left out. An empty cell is an absent field; ' +
      '`billingEmails` holds several addresses separated by `;`; a leading `\'` that the export writes before a cell a spreadsheet would run ' +
      'is removed, so an export imports again (its `status` column sets `active`; `id`, `owner.status` and `createdAt` are skipped). ' +
      'A file that cannot be read as a whole (not UTF-8, unbalanced quotes, a line with another number of cells than the header, an unknown, ' +
      'repeated or missing required column, no rows or more than 1,000, a row over 64 KiB) answers 400 `validation_failed` naming the line ' +
      '(`errors[0].message`, e.g. "line 7: a quoted cell opens here and never closes"), and nothing is imported. ' +
      'Otherwise the answer is 202 `{ id, status, total }` with `Location`, and each row is then checked and created as `POST /v1/clients` ' +
      "checks and creates a body (your client form, the events, the owner's invitation e-mail); rows are independent and created in file " +
      'order, so of two rows with the same name the second fails with `account_name_taken`. Follow it with `GET /v1/client-imports/{id}` ' +
      'and its `/rows`. `Idempotency-Key` replays the import instead of starting a second one. Accounts of type customer: 403.',
  })
  @ApiIdempotencyKey()
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // The CSV parser hands the file over as bytes; JSON arrives parsed.
    const rows = Buffer.isBuffer(body) ? rowsOfCsv(body) : rowsOfJson(body);
    const accepted = await startImport(this.bus, caller, rows, idempotencyKey);
    void reply.header('Location', `/v1/client-imports/${accepted.id}`);
    return accepted;
  }

  @Get()
  @ApiOperation({ summary: "Your account's imports, newest first, keyset-paginated: `{ id, status, total, processed, created, failed, createdAt, finishedAt }`" })
  list(@Query() filter: ListClientImportsRequest, @CurrentCaller() caller: Caller) {
    return this.bus.request<Page<ClientImportResponse>>(AccountsRpc.listClientImports, filter, caller);
  }

  @Get('template.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'A CSV file to start an import from: the header row and one example row' })
  template(@Res({ passthrough: true }) reply: FastifyReply) {
    return csvDownload(reply, 'client-import-template.csv', csvStream(TEMPLATE_ROWS[0], [TEMPLATE_ROWS.slice(1)]));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your imports: `status` queued, running or done, and its counts' })
  get(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    return this.bus.request<ClientImportResponse>(AccountsRpc.getClientImport, { id }, caller);
  }

  @Get(':id/rows')
  @ApiOperation({
    summary: "An import's processed rows in file order, keyset-paginated",
    description:
      'Each: `{ row, status: created|failed, clientId?, code?, errors?: [{ field, message }] }`; `row` counts data rows from 1. A failed row ' +
      'has the code and field errors a single create would have answered (`validation_failed`, `account_name_taken`, ...). A row appears ' +
      'once it is processed.',
  })
  rows(@Param('id') id: string, @Query() filter: ListClientImportRowsRequest, @CurrentCaller() caller: Caller) {
    return this.bus.request<Page<ClientImportRowResult>>(AccountsRpc.listClientImportRows, { ...filter, id }, caller);
  }
}
