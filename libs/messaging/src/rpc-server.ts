import { Logger } from '@nestjs/common';
import { MessageHandler, NatsContext } from '@nestjs/microservices';
import { Msg, NatsConnection, Subscription, headers as natsHeaders } from 'nats';
import { ErrorCodes, Headers, type RpcReply } from '@clientele/contracts';
import { runWithRequestId, tracingEnabled, withSpan, type RpcMetrics } from '@clientele/observability';
import { expectedErrorBody, isUnavailableError } from './rpc-error';
import { sendThisTurn } from './same-turn';

export interface RpcServerOptions {
  connection: NatsConnection;
  /** Queue group shared by every replica of the service. */
  queue: string;
  /** Put in front of every request subject. */
  prefix: string;
  metrics?: RpcMetrics;
  /** Each answered request logged at debug level too (the refused and failed ones always are); on unless false. */
  logAnswers?: boolean;
}

/**
 * The extras of a `@MessagePattern` whose handler needs no unit of work of
 * its own: it reads straight from SQL (`queryPrepared`), never through the
 * entity manager's identity map, and writes nothing. Forking the entity
 * manager for it (a unit of work, an identity map and their helpers, then a
 * context to carry them) is work done for nothing on every such request.
 * A handler that used the entity manager anyway would
 * fail, not write through a shared one: MikroORM refuses the global entity
 * manager outside a context (`allowGlobalContext: false`).
 */
export const WITHOUT_UNIT_OF_WORK = { unitOfWork: false } as const;

/** Runs a handler's call to its result, in the message's own unit of work unless told otherwise. */
export type HandlerRunner = (call: () => Promise<unknown>, options?: { unitOfWork?: boolean }) => Promise<unknown>;

/**
 * The request/reply half of `NatsTransport`: each `@MessagePattern(subject)`
 * handler answers `<prefix>subject` in the service's queue group. Replies are
 * `{ ok: true, data }` or `{ ok: false, error: { code, status, message, details } }`.
 */
export class RpcServer {
  private readonly log = new Logger('NatsTransport');
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  /** `run` calls a handler to its result, in the message's own unit of work unless its pattern says otherwise. */
  constructor(
    private readonly options: RpcServerOptions,
    private readonly run: HandlerRunner,
  ) {}

  /** One subscription per subject, each holding its handler. */
  listen(handlers: ReadonlyMap<string, MessageHandler>): void {
    for (const [pattern, handler] of handlers) {
      const subject = `${this.options.prefix}${pattern}`;
      const runOptions = { unitOfWork: handler.extras?.unitOfWork !== false };
      const sub = this.options.connection.subscribe(subject, {
        queue: this.options.queue,
        callback: (error, msg) => {
          if (error) return this.log.error(`subscription ${subject} failed: ${error.message}`);
          this.track(this.answer(pattern, handler, runOptions, msg));
        },
      });
      this.subscriptions.push(sub);
    }
  }

  /** Stops taking requests, then waits for the answers in flight. */
  async close(): Promise<void> {
    await Promise.allSettled(this.subscriptions.map((s) => s.drain()));
    await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** The handler comes with the subscription: Nest's lookup by pattern parses the pattern on every call. */
  private async answer(pattern: string, handler: MessageHandler, runOptions: { unitOfWork: boolean }, msg: Msg): Promise<void> {
    const started = process.hrtime.bigint();
    const requestId = msg.headers?.get(Headers.requestId) || undefined;
    // The caller's W3C trace context (ADR 0018): tracing on, the handler runs in a server span under it;
    // off, it is carried on as it came, to the requests and events the handler causes.
    const traceparent = msg.headers?.get('traceparent') || undefined;
    const tracestate = msg.headers?.get('tracestate') || undefined;
    const reply = await runWithRequestId(
      requestId,
      tracingEnabled()
        ? () => withSpan(`nats ${pattern}`, 'server', () => this.invoke(pattern, handler, runOptions, msg), {
            traceparent, tracestate, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': msg.subject },
          })
        : () => this.invoke(pattern, handler, runOptions, msg),
      traceparent,
      tracestate,
      // Kept for what the service reads from them only when it needs to (the audit trail's caller and origin).
      { headers: msg.headers },
    );
    const outcome = reply.ok ? 'ok' : reply.error.status >= 500 ? 'error' : 'rejected';
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.options.metrics?.duration.labels(pattern, outcome).observe(seconds);
    // The gateway's access log has a line for every request, with its id: here, successes are debug
    // detail (not even built below that level), refusals and failures are worth a line of their own.
    if (!reply.ok || this.options.logAnswers !== false) {
      runWithRequestId(requestId, () =>
        this.log[reply.ok ? 'debug' : 'log']({
          msg: `${pattern} ${outcome}`,
          subject: pattern,
          outcome,
          ...(reply.ok ? {} : { code: reply.error.code }),
          ms: Math.round(seconds * 10_000) / 10,
        }),
      );
    }
    if (!msg.reply) return;
    const h = natsHeaders();
    if (requestId) h.set(Headers.requestId, requestId);
    const body = JSON.stringify(reply);
    await sendThisTurn(() => msg.respond(body, { headers: h }));
  }

  private async invoke(pattern: string, handler: MessageHandler, runOptions: { unitOfWork: boolean }, msg: Msg): Promise<RpcReply<unknown>> {
    let payload: unknown;
    try {
      payload = msg.data.length ? JSON.parse(UTF8.decode(msg.data)) : {};
    } catch {
      return failure(400, ErrorCodes.malformedJson, 'The request body is not valid JSON.');
    }
    try {
      const data = await this.run(() => handler(payload, new NatsContext([msg.subject, msg.headers as never])), runOptions);
      return { ok: true, data: data ?? null };
    } catch (error) {
      return { ok: false, error: this.toErrorBody(error, pattern) };
    }
  }

  private toErrorBody(error: unknown, pattern: string) {
    const expected = expectedErrorBody(error);
    if (expected) return expected;
    const errorId = crypto.randomUUID();
    if (isUnavailableError(error)) {
      this.log.warn({ msg: `${pattern} could not reach a dependency`, errorId, err: String(error) });
      return { code: ErrorCodes.serviceUnavailable, status: 503, message: 'The service could not complete the request just now; retry shortly.', errorId };
    }
    this.log.error({ msg: `unexpected error handling ${pattern}`, errorId, err: String(error) }, (error as Error)?.stack);
    return { code: ErrorCodes.internal, status: 500, message: `Unexpected error; quote error id ${errorId}.`, errorId };
  }
}

/** One decoder for every request body (as the gateway's client has for every reply). */
const UTF8 = new TextDecoder();

function failure(status: number, code: string, message: string): RpcReply<never> {
  return { ok: false, error: { code, status, message } };
}
