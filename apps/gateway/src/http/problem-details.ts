import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ErrorCodes, type FieldError } from '@clientele/contracts';
import { RpcError, expectedErrorBody } from '@clientele/messaging';
import type { RouteBodyConfig } from './http-setup';

/** RFC 9457 problem details with a stable `code` and the request id as `traceId`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  traceId: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 410: 'Gone', 412: 'Precondition Failed', 413: 'Content Too Large',
  414: 'URI Too Long', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCodes.validationFailed, 401: ErrorCodes.unauthorized, 403: ErrorCodes.forbidden, 404: ErrorCodes.notFound,
  405: 'method_not_allowed', 406: 'not_acceptable', 413: ErrorCodes.payloadTooLarge,
  415: ErrorCodes.unsupportedMediaType, 429: ErrorCodes.rateLimited, 503: ErrorCodes.serviceUnavailable, 504: ErrorCodes.timeout,
};

const log = new Logger('Problem');

export function toProblem(error: unknown, traceId: string): Problem {
  const problem = (status: number, code: string, detail: string, errors?: FieldError[]): Problem => ({
    type: `urn:clientele:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
    traceId,
  });
  const expected = expectedErrorBody(error);
  if (expected) return problem(expected.status, expected.code, expected.message, expected.details);
  if (error instanceof HttpException) {
    // Our routes throw RpcError; HttpExceptions come from Nest's router (404) or
    // from Fastify's body parsing, which Nest maps by status.
    const status = error.getStatus();
    switch (status) {
      case 400:
        return problem(400, ErrorCodes.malformedJson, `The body could not be read as JSON: ${error.message}`);
      case 404:
        return problem(404, ErrorCodes.notFound, 'There is nothing at this path.');
      case 413:
        return problem(413, ErrorCodes.payloadTooLarge, 'The body is larger than 1 MiB.');
      case 415:
        return problem(415, ErrorCodes.unsupportedMediaType, 'Send the body as application/json.');
      default:
        return problem(status, CODE_BY_STATUS[status] ?? 'http_error', error.message);
    }
  }
  const status = (error as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(status, CODE_BY_STATUS[status] ?? 'bad_request', (error as Error).message);
  }
  const errorId = randomUUID();
  log.error({ msg: 'unexpected error', errorId, err: String(error) }, (error as Error)?.stack);
  return problem(500, ErrorCodes.internal, `Unexpected error; quote error id ${errorId}.`);
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: unknown): void {
  const problem = withRouteBodyRules(toProblem(error, String(request.id)), request);
  // A dependency is away for now (RFC 9110 §10.2.3): careful clients retry after this many seconds.
  if (problem.status === 503 && !reply.hasHeader('Retry-After')) void reply.header('Retry-After', '1');
  void reply.status(problem.status).header('Content-Type', 'application/problem+json').send(problem);
}

/** A refused body on a route with its own rules (the import's 5 MiB file, as CSV or JSON) says those rules. */
function withRouteBodyRules(problem: Problem, request: FastifyRequest): Problem {
  const config = request.routeOptions?.config as RouteBodyConfig | undefined;
  if (problem.status === 413 && problem.code === ErrorCodes.payloadTooLarge && config?.bodyLimit) {
    return { ...problem, detail: `The body is larger than ${config.bodyLimit / (1024 * 1024)} MiB.` };
  }
  if (problem.status === 415 && problem.code === ErrorCodes.unsupportedMediaType && config?.csv) {
    return { ...problem, detail: 'Send the body as text/csv (UTF-8) or application/json.' };
  }
  return problem;
}

/**
 * Errors Fastify raises before any route runs (a path segment over the
 * length limit, a URL it cannot decode) become problem details too.
 */
export function frameworkError(error: Error & { code?: string; statusCode?: number }, request: FastifyRequest, reply: FastifyReply): void {
  const known: Record<string, [number, string, string]> = {
    FST_ERR_MAX_PARAM_LENGTH: [414, 'uri_too_long', 'A part of the path is longer than the gateway accepts.'],
    FST_ERR_BAD_URL: [400, 'bad_url', 'The URL could not be decoded.'],
  };
  const [status, code, message] = known[error.code ?? ''] ?? [error.statusCode && error.statusCode < 500 ? error.statusCode : 400, 'bad_request', 'The request could not be read.'];
  sendProblem(reply, request, new RpcError(code, status, message));
}

/** Every error a route throws becomes problem details. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), exception);
  }
}
