import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type TextMapGetter } from '@opentelemetry/api';
import { incomingTraceContext, isTraceparent } from './request-context';

/**
 * OpenTelemetry tracing (ADR 0018). Off unless `OTEL_EXPORTER_OTLP_ENDPOINT`
 * is set: then no SDK is loaded and the helpers here only pass on the
 * `traceparent` a request came with. On, spans go to the endpoint over
 * OTLP/HTTP (JSON), and the helpers start spans and propagate their context
 * where no instrumentation does (NATS, JetStream events, SMTP).
 */

let sdk: { shutdown(): Promise<void> } | undefined;

export type ServiceName = 'gateway' | 'accounts' | 'notifications';
export type TraceSpanKind = 'server' | 'client' | 'consumer' | 'producer' | 'internal';

const KINDS: Record<TraceSpanKind, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  consumer: SpanKind.CONSUMER,
  producer: SpanKind.PRODUCER,
  internal: SpanKind.INTERNAL,
};

/** Requests of the ops port (probes, scrapes) are not traced. */
const OPS_PATH = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Starts the OpenTelemetry SDK for `service` when `endpoint` (the value of
 * `OTEL_EXPORTER_OTLP_ENDPOINT`) is set; without it does nothing and returns
 * false. Must run before the instrumented modules (http, fastify, pg) are
 * loaded: `scripts/service.js` calls it before it requires the service.
 * The SDK's packages are required here, so a process without tracing never
 * loads them.
 */
export function startTracing(service: ServiceName, endpoint: string | undefined): boolean {
  const base = endpoint?.trim();
  if (!base || sdk) return Boolean(sdk);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const instrumentations: import('@opentelemetry/instrumentation').Instrumentation[] = [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => OPS_PATH.test(request.url ?? '') }),
  ];
  if (service === 'gateway') {
    // Fastify's own instrumentation (the one OpenTelemetry's deprecated instrumentation-fastify points to):
    // registered on every Fastify instance as it is created (the Nest adapter creates the gateway's).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FastifyOtelInstrumentation } = require('@fastify/otel') as typeof import('@fastify/otel');
    instrumentations.push(new FastifyOtelInstrumentation({ registerOnInitialization: true, ignorePaths: ({ url }) => OPS_PATH.test(url) }));
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
    // Only statements run for a traced request or event: the pollers' statements would each be a trace of their own.
    instrumentations.push(new PgInstrumentation({ requireParentSpan: true }));
  }
  const started = new NodeSDK({
    serviceName: service,
    traceExporter: new OTLPTraceExporter({ url: `${base.replace(/\/+$/, '')}/v1/traces` }),
    instrumentations,
    // Traces only: metrics stay Prometheus and logs pino. Without these the SDK would export both over OTLP by default.
    metricReaders: [],
    logRecordProcessors: [],
  });
  started.start();
  sdk = started;
  return true;
}

/** Exports the spans not yet sent and stops the SDK (on shutdown); nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}

export function tracingEnabled(): boolean {
  return sdk !== undefined;
}

const setter = { set: (carrier: { set(name: string, value: string): void }, key: string, value: string) => carrier.set(key, value) };
const getter: TextMapGetter<{ traceparent?: string; tracestate?: string }> = {
  keys: () => ['traceparent', 'tracestate'],
  get: (carrier, key) => (key === 'traceparent' ? carrier.traceparent : key === 'tracestate' ? carrier.tracestate : undefined),
};

/**
 * Puts the current trace context on outgoing headers (a NATS request's):
 * the active span's when tracing is on, else the `traceparent` and
 * `tracestate` the request came with, unchanged. Nothing when there is none.
 */
export function injectTraceHeaders(headers: { set(name: string, value: string): void }): void {
  if (sdk && trace.getSpanContext(context.active())) {
    propagation.inject(context.active(), headers, setter);
    return;
  }
  const incoming = incomingTraceContext();
  if (!incoming?.traceparent) return;
  headers.set('traceparent', incoming.traceparent);
  if (incoming.tracestate) headers.set('tracestate', incoming.tracestate);
}

/**
 * The current trace context as W3C `traceparent`/`tracestate` values (for
 * CloudEvents' distributed tracing attributes): the active span's when
 * tracing is on, else the one the request came with; undefined when none.
 */
export function currentTraceContext(): { traceparent: string; tracestate?: string } | undefined {
  if (sdk) {
    const span = trace.getSpanContext(context.active());
    if (span && trace.isSpanContextValid(span)) {
      const traceparent = `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
      const tracestate = span.traceState?.serialize();
      return tracestate ? { traceparent, tracestate } : { traceparent };
    }
  }
  const incoming = incomingTraceContext();
  if (!incoming?.traceparent) return undefined;
  return incoming.tracestate ? { traceparent: incoming.traceparent, tracestate: incoming.tracestate } : { traceparent: incoming.traceparent };
}

/**
 * Runs `fn` in a span of its own when tracing is on: a child of the given
 * `traceparent` (a message's, an event's) if there is a valid one, else of the
 * active span, else a new trace (unless `requireParent`). Off, just runs `fn`.
 * A promise's rejection or a throw ends the span with an error status.
 */
export function withSpan<T>(
  name: string,
  kind: TraceSpanKind,
  fn: () => T,
  options: { traceparent?: string | null; tracestate?: string | null; attributes?: Attributes; requireParent?: boolean } = {},
): T {
  if (!sdk) return fn();
  let parent = context.active();
  if (isTraceparent(options.traceparent)) {
    parent = propagation.extract(ROOT_CONTEXT, { traceparent: options.traceparent, tracestate: options.tracestate ?? undefined }, getter);
  } else if (options.requireParent && !trace.getSpanContext(parent)) {
    return fn();
  }
  const tracer = trace.getTracer('clientele');
  return tracer.startActiveSpan(name, { kind: KINDS[kind], attributes: options.attributes }, parent, (span) => {
    let result: T;
    try {
      result = fn();
    } catch (error) {
      fail(span, error);
      span.end();
      throw error;
    }
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      return (result as unknown as Promise<unknown>).then(
        (value) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          fail(span, error);
          span.end();
          throw error;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

function fail(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  if (error instanceof Error) span.recordException(error);
}
