import { ErrorCodes, ErrorStatus } from '@clientele/contracts';
import { expectedErrorBody, isExpectedError, RpcError } from './rpc-error';

/** What a service's domain throws: a code and a message, no HTTP status. */
class RuleBroken extends Error {
  constructor(readonly code: string, message: string, readonly details?: { field: string; message: string }[]) {
    super(message);
  }
}

describe('expected errors at the edge', () => {
  it('gives a code its status from the one table', () => {
    expect(expectedErrorBody(new RuleBroken(ErrorCodes.accountNameTaken, 'taken', [{ field: 'accountName', message: 'taken' }]))).toEqual({
      code: 'account_name_taken',
      status: 409,
      message: 'taken',
      details: [{ field: 'accountName', message: 'taken' }],
    });
    expect(expectedErrorBody(new RuleBroken(ErrorCodes.notFound, 'gone'))?.status).toBe(404);
  });

  it('keeps the status an error from another service already carries', () => {
    expect(expectedErrorBody(new RpcError(ErrorCodes.serviceUnavailable, 503, 'later'))).toMatchObject({ code: 'service_unavailable', status: 503 });
  });

  it('treats a driver or system error as unexpected, whatever its code', () => {
    expect(isExpectedError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isExpectedError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isExpectedError(new Error('plain'))).toBe(false);
    expect(isExpectedError('not_found')).toBe(false);
  });

  it('has a client error or a server error for every code', () => {
    for (const code of Object.values(ErrorCodes)) expect(ErrorStatus[code]).toBeGreaterThanOrEqual(400);
  });
});
