import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, NatsContext, Server } from '@nestjs/microservices';
import {
  AckPolicy,
  ConsumerMessages,
  DeliverPolicy,
  JsMsg,
  Msg,
  NatsConnection,
  Subscription,
  headers as natsHeaders,
} from 'nats';
import { lastValueFrom } from 'rxjs';
import { ErrorCodes, Headers, type CloudEvent, type RpcReply } from '@clientele/contracts';
import { runWithRequestId, type RpcMetrics } from '@clientele/observability';
import { isExpectedError, isUnavailableError } from './rpc-error';

export interface EventConsumerSettings {
  stream: string;
  /** Durable consumer name: replicas that share it share the work. */
  durable: string;
  filterSubject: string;
  ackWaitMs: number;
  /** Delay before a failed event is offered again. */
  retryDelayMs: number;
  /** Events already received are handled up to this many at a time (default 1). */
  batchSize?: number;
}

/**
 * Runs the handlers of several events as one unit (typically one database
 * transaction): `work` resolves only if every handler did, and the events are
 * acked after `eventBatch` resolved. If it rejects, each event is handled again
 * on its own, so one failing event cannot hold back the others.
 */
export type EventBatchRunner = (events: readonly CloudEvent[], work: () => Promise<void>) => Promise<void>;

export interface NatsTransportOptions {
  connection: NatsConnection;
  /** Queue group shared by every replica of the service. */
  queue: string;
  /** Put in front of every request subject. */
  prefix: string;
  /** Wraps each handled message, e.g. in its own ORM request context. */
  unitOfWork?: <T>(work: () => Promise<T>) => Promise<T>;
  events?: EventConsumerSettings;
  eventBatch?: EventBatchRunner;
  metrics?: RpcMetrics;
}

interface ReceivedEvent {
  m: JsMsg;
  event: CloudEvent;
  handler: MessageHandler;
}

/**
 * Nest transport for NATS: `@MessagePattern(subject)` handlers answer core
 * request/reply in a queue group; `@EventPattern(eventType)` handlers consume
 * CloudEvents from a JetStream durable pull consumer, acked only after the
 * handler resolved. Errors cross as `{ code, status, message, details }`.
 */
export class NatsTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('NatsTransport');
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private consumerMessages?: ConsumerMessages;
  private consuming?: Promise<void>;
  /** Events received from JetStream, not yet handled. */
  private received: JsMsg[] = [];
  private wakeConsumer?: () => void;
  private wakeReader?: () => void;
  private closed = false;

  constructor(private readonly options: NatsTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.messageHandlers) {
        if (handler.isEventHandler) continue;
        const subject = `${this.options.prefix}${pattern}`;
        const sub = this.options.connection.subscribe(subject, {
          queue: this.options.queue,
          callback: (error, msg) => {
            if (error) return this.log.error(`subscription ${subject} failed: ${error.message}`);
            this.track(this.answer(pattern, handler, msg));
          },
        });
        this.subscriptions.push(sub);
      }
      if (this.options.events && [...this.messageHandlers.values()].some((h) => h.isEventHandler)) {
        await this.startConsumer(this.options.events);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops taking new work, then waits for the work in flight. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.subscriptions.map((s) => s.drain()));
    this.consumerMessages?.stop();
    this.wakeConsumer?.();
    this.wakeReader?.();
    await this.consuming?.catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  on(): never {
    throw new Error('NatsTransport does not emit status events');
  }

  unwrap<T>(): T {
    return this.options.connection as T;
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** The handler comes with the subscription: Nest's lookup by pattern parses the pattern on every call. */
  private async answer(pattern: string, handler: MessageHandler, msg: Msg): Promise<void> {
    const started = process.hrtime.bigint();
    const requestId = msg.headers?.get(Headers.requestId) || undefined;
    const reply = await runWithRequestId(requestId, () => this.invoke(pattern, handler, msg));
    const outcome = reply.ok ? 'ok' : reply.error.status >= 500 ? 'error' : 'rejected';
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.options.metrics?.duration.labels(pattern, outcome).observe(seconds);
    // The gateway's access log has a line for every request, with its id: here, successes are debug
    // detail, refusals and failures are worth a line of their own.
    const logAt = reply.ok ? 'debug' : 'log';
    runWithRequestId(requestId, () =>
      this.log[logAt]({
        msg: `${pattern} ${outcome}`,
        subject: pattern,
        outcome,
        ...(reply.ok ? {} : { code: reply.error.code }),
        ms: Math.round(seconds * 10_000) / 10,
      }),
    );
    if (!msg.reply) return;
    const h = natsHeaders();
    if (requestId) h.set(Headers.requestId, requestId);
    msg.respond(JSON.stringify(reply), { headers: h });
  }

  private async invoke(pattern: string, handler: MessageHandler, msg: Msg): Promise<RpcReply<unknown>> {
    let payload: unknown;
    try {
      payload = msg.data.length ? JSON.parse(new TextDecoder().decode(msg.data)) : {};
    } catch {
      return failure(400, ErrorCodes.malformedJson, 'The request body is not valid JSON.');
    }
    try {
      const data = await this.run(() => handler(payload, new NatsContext([msg.subject, msg.headers as never])));
      return { ok: true, data: data ?? null };
    } catch (error) {
      return { ok: false, error: this.toErrorBody(error, pattern) };
    }
  }

  private async run(call: () => Promise<unknown>): Promise<unknown> {
    const work = async () => lastValueFrom(this.transformToObservable(await call()), { defaultValue: undefined });
    return this.options.unitOfWork ? this.options.unitOfWork(work) : work();
  }

  private toErrorBody(error: unknown, pattern: string) {
    if (isExpectedError(error)) {
      const { code, status, message, details } = error;
      return { code, status, message, ...(details ? { details } : {}) };
    }
    const errorId = crypto.randomUUID();
    if (isUnavailableError(error)) {
      this.log.warn({ msg: `${pattern} could not reach a dependency`, errorId, err: String(error) });
      return { code: ErrorCodes.serviceUnavailable, status: 503, message: 'The service could not complete the request just now; retry shortly.', errorId };
    }
    this.log.error({ msg: `unexpected error handling ${pattern}`, errorId, err: String(error) }, (error as Error)?.stack);
    return { code: ErrorCodes.internal, status: 500, message: `Unexpected error; quote error id ${errorId}.`, errorId };
  }

  private async startConsumer(settings: EventConsumerSettings): Promise<void> {
    const nc = this.options.connection;
    const jsm = await nc.jetstreamManager();
    const wanted = {
      durable_name: settings.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: settings.filterSubject,
      ack_wait: settings.ackWaitMs * 1_000_000,
      max_ack_pending: 1_000,
    };
    try {
      await jsm.consumers.info(settings.stream, settings.durable);
      await jsm.consumers.update(settings.stream, settings.durable, {
        ack_wait: wanted.ack_wait,
        max_ack_pending: wanted.max_ack_pending,
        filter_subject: wanted.filter_subject,
      });
    } catch (error) {
      if (!/consumer not found/i.test((error as Error).message)) throw error;
      await jsm.consumers.add(settings.stream, wanted).catch((raced: Error) => {
        if (!/already in use|already exists/i.test(raced.message)) throw raced;
      });
    }
    const consumer = await nc.jetstream().consumers.get(settings.stream, settings.durable);
    const batchSize = settings.batchSize ?? 1;
    const messages = await consumer.consume({ max_messages: Math.max(batchSize, 10) });
    this.consumerMessages = messages;
    // The reader stops taking messages while a batch's worth waits, so the next pull waits too:
    // a replica holds no more than it is about to handle, and the others get the rest.
    const reading = (async () => {
      for await (const m of messages) {
        if (this.closed) {
          m.nak();
          continue;
        }
        this.received.push(m);
        this.wakeConsumer?.();
        if (this.received.length >= batchSize) await new Promise<void>((resolve) => (this.wakeReader = resolve));
      }
    })();
    this.consuming = Promise.all([reading, this.handleReceived(batchSize)]).then(() => undefined);
  }

  /** One batch at a time, in the order received; on close, what was not started goes back to the stream. */
  private async handleReceived(batchSize: number): Promise<void> {
    const settings = this.options.events!;
    for (;;) {
      if (this.closed) {
        for (const m of this.received.splice(0)) tryTo(() => m.nak());
        this.wakeReader?.();
        return;
      }
      if (!this.received.length) {
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
        this.wakeConsumer = undefined;
        continue;
      }
      const batch = this.received.splice(0, batchSize);
      this.wakeReader?.();
      this.wakeReader = undefined;
      const work = this.consumeBatch(batch, settings).catch((error: Error) => {
        // Acks and naks fail only with the connection; JetStream offers these events again after ack_wait.
        this.log.warn(`a batch of ${batch.length} events could not be settled: ${error.message}`);
      });
      this.track(work);
      await work;
    }
  }

  private async consumeBatch(messages: JsMsg[], settings: EventConsumerSettings): Promise<void> {
    const handled: ReceivedEvent[] = [];
    for (const m of messages) {
      let event: CloudEvent;
      try {
        event = m.json<CloudEvent>();
      } catch {
        this.log.warn(`dropping a message on ${m.subject} that is not JSON (stream seq ${m.seq})`);
        m.term();
        continue;
      }
      const handler = this.getHandlerByPattern(event.type);
      if (handler) handled.push({ m, event, handler });
      else m.ack();
    }
    await this.handleTogether(handled, settings);
  }

  /**
   * Handles events as one batch; if the batch fails, its halves are tried
   * apart, down to single events, so a bad event costs the others a few
   * retries, not their batching, and only it is offered again later.
   */
  private async handleTogether(handled: ReceivedEvent[], settings: EventConsumerSettings): Promise<void> {
    const runBatch = this.options.eventBatch;
    if (handled.length <= 1 || !runBatch) {
      for (const h of handled) await this.withEventContext(h, () => this.consumeEvent(h, settings));
      return;
    }
    try {
      await runBatch(
        handled.map((h) => h.event),
        async () => {
          for (const h of handled) await this.withEventContext(h, () => this.runHandler(h));
        },
      );
    } catch (error) {
      this.log.warn(`a batch of ${handled.length} events failed (${(error as Error).message}); trying its halves apart`);
      const half = Math.ceil(handled.length / 2);
      await this.handleTogether(handled.slice(0, half), settings);
      await this.handleTogether(handled.slice(half), settings);
      return;
    }
    for (const h of handled) this.withEventContext(h, () => this.acked(h));
  }

  private withEventContext<T>({ m, event }: ReceivedEvent, work: () => T): T {
    return runWithRequestId(m.headers?.get(Headers.requestId) || event.id, work);
  }

  private async runHandler({ m, event, handler }: ReceivedEvent): Promise<void> {
    await this.run(() => handler(event, new NatsContext([m.subject, m.headers as never])));
  }

  private acked({ m, event }: ReceivedEvent): void {
    this.options.metrics?.events.labels(event.type, 'ok').inc();
    m.ack();
    this.log.log({ msg: `${event.type} handled`, eventId: event.id, subject: event.subject, delivery: m.info.redeliveryCount });
  }

  private async consumeEvent(received: ReceivedEvent, settings: EventConsumerSettings): Promise<void> {
    const { m, event } = received;
    try {
      await this.runHandler(received);
      this.acked(received);
    } catch (error) {
      this.options.metrics?.events.labels(event.type, 'retry').inc();
      this.log.warn(`event ${event.type} ${event.id} failed (delivery ${m.info.redeliveryCount}): ${(error as Error).message}`);
      m.nak(settings.retryDelayMs * Math.min(m.info.redeliveryCount, 10));
    }
  }
}

function tryTo(action: () => void): void {
  try {
    action();
  } catch {
    // the connection is closing; the server offers the message again
  }
}

function failure(status: number, code: string, message: string): RpcReply<never> {
  return { ok: false, error: { code, status, message } };
}
