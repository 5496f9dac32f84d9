import { createHash } from 'node:crypto';
import { AccountsRpc, type Caller, type ClientImportAccepted } from '@clientele/contracts';
import type { Bus } from '../bus/accounts.bus';

/**
 * Rows go to accounts in one request when they fit well inside one NATS
 * message (1 MB by default); a larger file goes in parts of at most this
 * size, staged by accounts until the request that starts the import names
 * them (ADR 22).
 */
export const PART_BYTES = 512 * 1024;

/** Parts of at most PART_BYTES of JSON each, in file order (a row is never split; rows are at most 64 KiB). */
export function partsOf(rows: readonly object[]): object[][] {
  const parts: object[][] = [];
  let current: object[] = [];
  let bytes = 2;
  for (const row of rows) {
    const size = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (current.length && bytes + size > PART_BYTES) {
      parts.push(current);
      current = [];
      bytes = 2;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length) parts.push(current);
  return parts;
}

/**
 * Starts an import of `rows`: inline, or staged in parts first and then
 * named by their digest. The same file always makes the same request, so a
 * retry with the same Idempotency-Key is replayed.
 */
export async function startImport(bus: Bus, caller: Caller, rows: readonly object[], idempotencyKey: string | undefined): Promise<ClientImportAccepted> {
  const parts = partsOf(rows);
  if (parts.length === 1) return bus.request<ClientImportAccepted>(AccountsRpc.createClientImport, { rows }, caller, { idempotencyKey });
  const upload = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  for (const [part, partRows] of parts.entries()) {
    await bus.request(AccountsRpc.stageClientImportPart, { upload, part, rows: partRows }, caller);
  }
  return bus.request<ClientImportAccepted>(AccountsRpc.createClientImport, { upload, parts: parts.length, total: rows.length }, caller, { idempotencyKey });
}
