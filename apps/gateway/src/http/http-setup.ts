import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { Histogram, Registry } from 'prom-client';
import { runWithRequestId } from '@clientele/observability';

export const BODY_LIMIT = 1024 * 1024;

/** A route's own body rules, set with `@RouteConfig(...)`: a larger limit, and whether it takes `text/csv`. */
export interface RouteBodyConfig {
  bodyLimit?: number;
  csv?: boolean;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Methods that change nothing: no audit entry, so no origin to pass on. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

const CORS_ALLOWED = 'Authorization, Content-Type, If-Match, Idempotency-Key, X-Request-Id, traceparent, tracestate';
const CORS_EXPOSED = 'ETag, Location, Retry-After, X-Request-Id';

/**
 * What every HTTP answer shares: the request id in logs and in `X-Request-Id`,
 * security headers, JSON bodies (CSV on a route that takes it) and request metrics. (Fastify's own
 * errors reach ProblemDetailsFilter through Nest's error handler.)
 */
export function setUpHttp(fastify: FastifyInstance, registry: Registry, logger: LoggerService, options: { corsOrigins?: string[] } = {}): void {
  const duration = new Histogram({
    name: 'clientele_http_request_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  // JSON only: text/plain is Fastify's other default parser.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      Object.assign(error as Error, { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
      done(error as Error, undefined);
    }
  });
  // CSV only on routes whose config asks for it, as bytes (the route checks the encoding and names the line at fault), UTF-8 only.
  fastify.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = /;\s*charset="?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
    const acceptsCsv = (request.routeOptions.config as RouteBodyConfig | undefined)?.csv === true;
    if (!acceptsCsv || (charset && !/^utf-?8$/i.test(charset))) {
      done(Object.assign(new Error('Unsupported media type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), undefined);
      return;
    }
    done(null, body);
  });
  // A route may take a larger body than BODY_LIMIT (its config's `bodyLimit`), for JSON and CSV alike.
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as RouteBodyConfig | undefined)?.bodyLimit;
    if (limit) route.bodyLimit = limit;
  });

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    // The caller's W3C trace context, passed on over NATS (ADR 0018); where a change comes from, for the audit
    // trail (ADR 0021): reads change nothing, so they skip it.
    const origin = READS.has(request.method) ? undefined : { ip: request.ip, userAgent: request.headers['user-agent'] };
    runWithRequestId(String(request.id), done, request.headers.traceparent, request.headers.tracestate, { origin });
  });
  const corsOrigins = new Set(options.corsOrigins ?? []);
  if (corsOrigins.size) {
    // Only the configured origins get CORS headers; browsers refuse everyone else.
    fastify.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (!origin || !corsOrigins.has(origin)) return;
      void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin').header('Access-Control-Expose-Headers', CORS_EXPOSED);
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
        return reply
          .code(204)
          .header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE')
          .header('Access-Control-Allow-Headers', CORS_ALLOWED)
          .header('Access-Control-Max-Age', '600')
          .send();
      }
    });
  }
  fastify.addHook('onSend', (request, reply, payload, done) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
    if (!request.url.startsWith('/docs')) {
      // Pages set their own policy; everything else is an API answer.
      if (!reply.hasHeader('Content-Security-Policy')) void reply.header('Content-Security-Policy', API_CSP);
      if (!reply.hasHeader('Cache-Control')) void reply.header('Cache-Control', 'no-store');
    }
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    duration.labels(request.method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
    logger.log({ msg: `${request.method} ${route} ${reply.statusCode}`, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 });
    done();
  });
}
