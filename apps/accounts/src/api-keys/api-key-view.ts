import type { ApiKeyResponse } from '@clientele/contracts';
import { isoUtc } from '../shared/sql-time';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  created_at: string | Date;
  last_used_at: string | Date | null;
}

export const API_KEY_COLUMNS = 'id, name, prefix, created_at, last_used_at';

export function apiKeyView(row: ApiKeyRow): ApiKeyResponse {
  return {
    id: row.id,
    name: row.name,
    prefix: `ck_${row.prefix}`,
    createdAt: isoUtc(row.created_at),
    lastUsedAt: row.last_used_at ? isoUtc(row.last_used_at) : null,
  };
}
