import { ErrorCodes, statusOfCode, type RpcErrorBody } from '@clientele/contracts';

/** An error that crosses NATS as `{ code, status, message, details }`. */
export class RpcError extends Error implements RpcErrorBody {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: RpcErrorBody['details'],
    readonly errorId?: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }

  static from(body: RpcErrorBody): RpcError {
    return new RpcError(body.code, body.status, body.message, body.details, body.errorId);
  }

  toJSON(): RpcErrorBody {
    return { code: this.code, status: this.status, message: this.message, details: this.details, errorId: this.errorId };
  }

  static validation(details: NonNullable<RpcErrorBody['details']>): RpcError {
    return new RpcError(ErrorCodes.validationFailed, 400, 'The request is not valid.', details);
  }
}

/**
 * An expected error as it crosses NATS and reaches the client: one with a
 * string `code` and either a status of its own (an RpcError from another
 * service) or a code of contracts' `ErrorStatus` table (a service's domain
 * errors carry only their code). Undefined for anything else: a driver's or
 * the system's errors are unexpected.
 */
export function expectedErrorBody(error: unknown): RpcErrorBody | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, status, message, details } = error as { code?: unknown; status?: unknown; message?: unknown; details?: RpcErrorBody['details'] };
  if (typeof code !== 'string') return undefined;
  const resolved = typeof status === 'number' && status >= 400 && status < 600 ? status : statusOfCode(code);
  if (resolved === undefined) return undefined;
  return { code, status: resolved, message: String(message ?? ''), ...(details ? { details } : {}) };
}

export function isExpectedError(error: unknown): error is Error & { code: string } {
  return expectedErrorBody(error) !== undefined;
}

/** Node's codes for a connection refused, cut or unreachable. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATEs that say "not now" rather than "not this": connection exceptions, shutdowns, too many clients, lost races. */
const TRANSIENT_SQLSTATES = /^(08...|57P0[1-3]|53300|40001|40P01)$/;
/** What the PostgreSQL driver and pool say when they have no connection to give. */
const LOST_CONNECTION = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Timeout acquiring a connection|Client was closed|Connection is closed/i;

/**
 * A dependency (the database, usually) could not be reached or gave up for
 * now: the request did not happen and a retry may succeed, so it is a 503,
 * not a 500. Looks through wrapped errors (`cause`, the ORM's `previous`).
 */
export function isUnavailableError(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const { code, sqlState, message } = current as { code?: unknown; sqlState?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || TRANSIENT_SQLSTATES.test(code))) return true;
    if (typeof sqlState === 'string' && TRANSIENT_SQLSTATES.test(sqlState)) return true;
    if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
    current = (current as { previous?: unknown; cause?: unknown }).previous ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
