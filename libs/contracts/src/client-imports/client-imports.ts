import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import type { FieldError } from '../errors';
import type { AddressView, ClientStatus, OwnerStatus } from '../clients/client.response';
import { ACCOUNT_TYPES, CreateClientRequest, type AccountType, type InvitationSendMode } from '../clients/create-client.request';
import { CLIENT_SORTS, PageRequest, type ClientSort } from '../clients/list-clients.request';

/** The most rows one import takes, and the largest file (CSV or JSON). */
export const CLIENT_IMPORT_MAX_ROWS = 1_000;
export const CLIENT_IMPORT_MAX_BYTES = 5 * 1024 * 1024;

export const CLIENT_IMPORT_STATUSES = ['queued', 'running', 'done'] as const;
export type ClientImportStatus = (typeof CLIENT_IMPORT_STATUSES)[number];

/** A SHA-256 in hex: names a file staged in parts (see `StageClientImportPartPayload`). */
const UPLOAD_DIGEST = /^[0-9a-f]{64}$/;
/** More parts than a 5 MiB file ever needs at the gateway's part size. */
const MAX_PARTS = 64;

/** `POST /v1/client-imports` as `application/json`. Each row is checked when it is processed, as `POST /v1/clients` checks a body. */
export class CreateClientImportRequest {
  @ApiProperty({ type: [CreateClientRequest], minItems: 1, maxItems: CLIENT_IMPORT_MAX_ROWS, description: 'Client bodies, as for POST /v1/clients' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(CLIENT_IMPORT_MAX_ROWS) @IsObject({ each: true, message: 'each row must be an object (a client body)' })
  rows!: object[];
}

/**
 * The gateway's request to start an import: its rows inline, or, for a file
 * larger than one NATS message, the digest of rows staged before in parts.
 * A digest of the content (not a random id) keeps the request the same when
 * a client retries it, so an Idempotency-Key replays it.
 */
export class CreateClientImportPayload {
  @ValidateIf((o: CreateClientImportPayload) => o.upload === undefined)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(CLIENT_IMPORT_MAX_ROWS) @IsObject({ each: true })
  rows?: object[];

  @IsOptional() @IsString() @Matches(UPLOAD_DIGEST)
  upload?: string;

  @ValidateIf((o: CreateClientImportPayload) => o.upload !== undefined)
  @IsInt() @Min(1) @Max(MAX_PARTS)
  parts?: number;

  @ValidateIf((o: CreateClientImportPayload) => o.upload !== undefined)
  @IsInt() @Min(1) @Max(CLIENT_IMPORT_MAX_ROWS)
  total?: number;
}

/** One part of a file too large for one NATS message (rows in file order; parts counted from 0). */
export class StageClientImportPartPayload {
  @IsString() @Matches(UPLOAD_DIGEST)
  upload!: string;

  @IsInt() @Min(0) @Max(MAX_PARTS - 1)
  part!: number;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(CLIENT_IMPORT_MAX_ROWS) @IsObject({ each: true })
  rows!: object[];
}

export class ClientImportIdRequest {
  @IsString() @MaxLength(64)
  id!: string;
}

export class ListClientImportsRequest extends PageRequest {}

export class ListClientImportRowsRequest extends PageRequest {}

export class ListClientImportRowsPayload extends PageRequest {
  @IsString() @MaxLength(64)
  id!: string;
}

/** The 202 answer to `POST /v1/client-imports`. */
export interface ClientImportAccepted {
  id: string;
  status: ClientImportStatus;
  total: number;
}

export interface ClientImportResponse extends ClientImportAccepted {
  processed: number;
  created: number;
  failed: number;
  createdAt: string;
  finishedAt: string | null;
}

/** A processed row: `row` counts data rows from 1, in file order. */
export interface ClientImportRowResult {
  row: number;
  status: 'created' | 'failed';
  clientId?: string;
  code?: string;
  errors?: FieldError[];
}

/**
 * `GET /v1/clients` as CSV: the filters and sort of the JSON list, read by the
 * gateway page after page. Pages are as large as fit in one NATS message.
 */
export class ExportClientsRequest {
  @IsOptional() @IsIn(CLIENT_SORTS)
  sort?: ClientSort;

  @IsOptional() @IsIn(['active', 'inactive'])
  status?: 'active' | 'inactive';

  @IsOptional() @IsIn(ACCOUNT_TYPES)
  type?: AccountType;

  @IsOptional() @IsString() @MaxLength(200)
  q?: string;

  @IsOptional() @IsString() @MaxLength(64)
  parent?: string;

  @IsOptional() @IsString() @MaxLength(512)
  cursor?: string;
}

/** A client as the export writes it: the import's fields plus its id, status, owner status and creation time. */
export interface ClientExportRecord {
  id: string;
  type: AccountType;
  accountName: string;
  companyName: string;
  uniqueIdentifier: string | null;
  phone: string | null;
  language: string;
  currency: string;
  emergencyContactEmail: string | null;
  billingEmails: string[];
  address: AddressView;
  owner: { firstName: string; lastName: string; email: string; status: OwnerStatus } | null;
  /** The owner's invitation as an import would ask for it again: a scheduled one still to go, or how the last was sent. */
  invitation: { send: InvitationSendMode; sendAt: string | null } | null;
  /** Only for the client's direct parent. */
  adminNotes?: string | null;
  status: ClientStatus;
  createdAt: string;
}
