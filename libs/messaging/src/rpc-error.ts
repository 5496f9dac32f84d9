import { ErrorCodes, type RpcErrorBody } from '@clientele/contracts';

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

/** Anything thrown with a string `code` and an HTTP-like `status` is an expected, mapped error. */
export function isExpectedError(error: unknown): error is RpcErrorBody & Error {
  if (typeof error !== 'object' || error === null) return false;
  const { code, status } = error as { code?: unknown; status?: unknown };
  return typeof code === 'string' && typeof status === 'number' && status >= 400 && status < 600;
}
