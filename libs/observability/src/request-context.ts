import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface RequestScope {
  requestId: string;
  /** The W3C trace context the request came with, passed on as it came (ADR 0018). */
  traceparent?: string;
  tracestate?: string;
  /** Where a changing request came from (its address and user agent), for the audit trail the services keep. */
  origin?: RequestOrigin;
  /** The headers a service request came with, read only by what needs them (the audit trail's caller and origin). */
  headers?: RequestHeaders;
  /** What the service's audit trail says caused the work, when the work says so itself (a background job for its starter). */
  audit?: unknown;
}

/** Read access to a request's headers (NATS message headers answer an absent one with ''). */
export interface RequestHeaders {
  get(name: string): string | undefined;
}

/** The client's address (as the gateway computed it, proxies considered) and its user agent. */
export interface RequestOrigin {
  ip?: string;
  userAgent?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `fn` with a request id that every log line inside it carries, and the
 * W3C `traceparent`/`tracestate` the request came with (kept only when
 * well-formed), for what it sends on to carry them further.
 */
export function runWithRequestId<T>(
  requestId: string | undefined,
  fn: () => T,
  traceparent?: unknown,
  tracestate?: unknown,
  carried: { origin?: RequestOrigin; headers?: RequestHeaders } = {},
): T {
  const scope: RequestScope = { requestId: sanitizeRequestId(requestId) ?? randomUUID() };
  if (carried.origin) scope.origin = carried.origin;
  if (carried.headers) scope.headers = carried.headers;
  if (traceparent !== undefined && isTraceparent(traceparent)) {
    scope.traceparent = traceparent;
    if (typeof tracestate === 'string' && tracestate.length <= 512 && /^[\x20-\x7e]*$/.test(tracestate)) scope.tracestate = tracestate;
  }
  return storage.run(scope, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Where the current request came from, when the edge recorded it (changing requests only). */
export function currentRequestOrigin(): RequestOrigin | undefined {
  return storage.getStore()?.origin;
}

/** The headers the current service request came with. */
export function currentRequestHeaders(): RequestHeaders | undefined {
  return storage.getStore()?.headers;
}

/**
 * Runs `fn` in the current request's scope (or a new one) with `audit` as
 * what the audit trail records as the cause of the work inside it: one store
 * for the request's context, so requests that never set it pay nothing.
 */
export function runWithAuditData<T>(audit: unknown, fn: () => T): T {
  return storage.run({ ...(storage.getStore() ?? { requestId: randomUUID() }), audit }, fn);
}

/** What `runWithAuditData` set for the work running now. */
export function currentAuditData(): unknown {
  return storage.getStore()?.audit;
}

/** The `traceparent` (and `tracestate`) the current request came with, if it came with one. */
export function incomingTraceContext(): { traceparent?: string; tracestate?: string } | undefined {
  return storage.getStore();
}

/** Accepts a client's id only when it is short and printable, so logs stay clean. */
export function sanitizeRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : undefined;
}

/** The longest `traceparent` passed on: version 00's is 55 characters; a later version's may add a little. */
const MAX_TRACEPARENT = 128;

/** A W3C trace context `traceparent` (version 00 and later versions' first four fields), not all zeros, not oversized. */
export function isTraceparent(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_TRACEPARENT &&
    /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-[\x21-\x7e]*)?$/.test(value) &&
    !value.startsWith('ff') &&
    (value.length === 55 || !value.startsWith('00')) &&
    !/^..-0{32}-/.test(value) &&
    !/^..-.{32}-0{16}-/.test(value)
  );
}
