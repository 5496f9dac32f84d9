import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { RpcError } from '@clientele/messaging';
import { toProblem } from './problem-details';

const TRACE_ID = 'req-7';

describe('toProblem', () => {
  describe('an RpcError from a service', () => {
    it('keeps its status, code, message and field errors', () => {
      const error = RpcError.validation([
        { field: 'owner.email', message: 'owner.email must be an e-mail address' },
        { field: 'accountName', message: 'accountName is required' },
      ]);

      expect(toProblem(error, TRACE_ID)).toEqual({
        type: 'urn:clientele:problem:validation_failed',
        title: 'Bad Request',
        status: 400,
        detail: 'The request is not valid.',
        code: 'validation_failed',
        errors: [
          { field: 'owner.email', message: 'owner.email must be an e-mail address' },
          { field: 'accountName', message: 'accountName is required' },
        ],
        traceId: TRACE_ID,
      });
    });

    it('maps a conflict to 409 with its own code and type, and no empty errors list', () => {
      const problem = toProblem(new RpcError('account_name_taken', 409, 'An account named "Acme" already exists here.'), TRACE_ID);

      expect(problem).toEqual({
        type: 'urn:clientele:problem:account_name_taken',
        title: 'Conflict',
        status: 409,
        detail: 'An account named "Acme" already exists here.',
        code: 'account_name_taken',
        traceId: TRACE_ID,
      });
      expect(problem).not.toHaveProperty('errors');
    });

    it('maps an upstream timeout to 504', () => {
      expect(toProblem(new RpcError('upstream_timeout', 504, 'accounts did not answer in time'), TRACE_ID)).toMatchObject({
        status: 504,
        title: 'Gateway Timeout',
        code: 'upstream_timeout',
      });
    });
  });

  describe("Nest's HttpExceptions", () => {
    it.each<[string, HttpException, number, string]>([
      ['a body that is not JSON (400)', new BadRequestException('Unexpected token } in JSON at position 9'), 400, 'malformed_json'],
      ['an unknown route (404)', new NotFoundException('Cannot POST /v1/nope'), 404, 'not_found'],
      ['a body over the limit (413)', new PayloadTooLargeException(), 413, 'payload_too_large'],
      ['a body that is not JSON by content type (415)', new UnsupportedMediaTypeException(), 415, 'unsupported_media_type'],
      ['a forbidden request (403)', new ForbiddenException(), 403, 'forbidden'],
    ])('maps %s', (_name, error, status, code) => {
      const problem = toProblem(error, TRACE_ID);

      expect(problem).toMatchObject({ status, code, type: `urn:clientele:problem:${code}`, traceId: TRACE_ID });
      expect(problem.detail).toEqual(expect.any(String));
    });

    it('says why a JSON body could not be read', () => {
      const problem = toProblem(new BadRequestException('Unexpected end of JSON input'), TRACE_ID);

      expect(problem.detail).toContain('Unexpected end of JSON input');
      expect(problem.title).toBe('Bad Request');
    });
  });

  describe('a Fastify error with a 4xx statusCode', () => {
    it('is mapped by its status code', () => {
      const error = Object.assign(new Error('Unsupported Media Type: text/xml'), { statusCode: 415 });

      expect(toProblem(error, TRACE_ID)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    });
  });

  describe('an unexpected error', () => {
    let logged: unknown[][];

    beforeEach(() => {
      logged = [];
      jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
        logged.push(args);
      });
    });

    afterEach(() => jest.restoreAllMocks());

    it('becomes a 500 internal_error quoting an error id, not the original message', () => {
      const error = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');

      const problem = toProblem(error, TRACE_ID);

      expect(problem).toMatchObject({
        type: 'urn:clientele:problem:internal_error',
        title: 'Internal Server Error',
        status: 500,
        code: 'internal_error',
        traceId: TRACE_ID,
      });
      const errorId = /error id ([0-9a-f-]{36})/.exec(problem.detail)?.[1];
      expect(errorId).toBeDefined();
      expect(JSON.stringify(problem)).not.toContain('ECONNREFUSED');
      expect(JSON.stringify(problem)).not.toContain('hunter2');
      // The same id is logged with the real cause, so an operator can find it.
      expect(JSON.stringify(logged)).toContain(errorId);
      expect(JSON.stringify(logged)).toContain('ECONNREFUSED');
    });

    it('gives every unexpected error its own id', () => {
      const a = toProblem(new Error('boom'), TRACE_ID).detail;
      const b = toProblem(new Error('boom'), TRACE_ID).detail;

      expect(a).not.toBe(b);
    });

    it('treats a thrown non-Error value, or a 5xx statusCode, the same way', () => {
      expect(toProblem('a string', TRACE_ID)).toMatchObject({ status: 500, code: 'internal_error' });
      expect(toProblem(undefined, TRACE_ID)).toMatchObject({ status: 500, code: 'internal_error' });
      const withStatus = Object.assign(new Error('socket hang up'), { statusCode: 502 });
      expect(toProblem(withStatus, TRACE_ID)).toMatchObject({ status: 500, code: 'internal_error' });
    });
  });
});
