import type { ClientImportResponse, ClientImportRowResult, ClientImportStatus, FieldError } from '@clientele/contracts';
import { isoUtc } from '../shared/sql-time';

/** The columns of an import's answer, as `ImportRecord` reads them. */
export const IMPORT_COLUMNS = 'id, status, total, processed, created, failed, created_at, finished_at';

export interface ImportRecord {
  id: string;
  status: ClientImportStatus;
  total: number;
  processed: number;
  created: number;
  failed: number;
  created_at: string;
  finished_at: string | null;
}

export function importView(row: ImportRecord): ClientImportResponse {
  return {
    id: row.id,
    status: row.status,
    total: row.total,
    processed: row.processed,
    created: row.created,
    failed: row.failed,
    createdAt: isoUtc(row.created_at),
    finishedAt: row.finished_at ? isoUtc(row.finished_at) : null,
  };
}

export interface ImportRowRecord {
  row: number;
  status: 'created' | 'failed';
  client_id: string | null;
  code: string | null;
  errors: FieldError[] | null;
}

/** A processed row: only what it has (a created row has its client, a failed one its code and field errors). */
export function importRowView(row: ImportRowRecord): ClientImportRowResult {
  return {
    row: row.row,
    status: row.status,
    ...(row.client_id ? { clientId: row.client_id } : {}),
    ...(row.code ? { code: row.code } : {}),
    ...(row.errors?.length ? { errors: row.errors } : {}),
  };
}
