import { Logger } from '@nestjs/common';
import { MessageHandler, NatsContext } from '@nestjs/microservices';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JsMsg, NatsConnection } from 'nats';
import { Headers, type CloudEvent } from '@clientele/contracts';
import { runWithRequestId, tracingEnabled, withSpan, type RpcMetrics } from '@clientele/observability';

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

export interface JetStreamConsumerOptions {
  connection: NatsConnection;
  settings: EventConsumerSettings;
  eventBatch?: EventBatchRunner;
  metrics?: RpcMetrics;
}

interface ReceivedEvent {
  m: JsMsg;
  event: CloudEvent;
  handler: MessageHandler;
}

/**
 * The event half of `NatsTransport`: `@EventPattern(eventType)` handlers
 * consume CloudEvents from a JetStream durable pull consumer, in batches,
 * each event acked only after its handler resolved.
 */
export class JetStreamConsumer {
  private readonly log = new Logger('NatsTransport');
  private readonly settings: EventConsumerSettings;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Event type → handler, fixed at start: no lookup by pattern per event. */
  private handlers: ReadonlyMap<string, MessageHandler> = new Map();
  private consumerMessages?: ConsumerMessages;
  private consuming?: Promise<void>;
  /** Events received from JetStream, not yet handled. */
  private received: JsMsg[] = [];
  private wakeConsumer?: () => void;
  private wakeReader?: () => void;
  private closed = false;

  /** `run` calls a handler to its result, in the message's own unit of work. */
  constructor(
    private readonly options: JetStreamConsumerOptions,
    private readonly run: (call: () => Promise<unknown>) => Promise<unknown>,
  ) {
    this.settings = options.settings;
  }

  async start(handlers: ReadonlyMap<string, MessageHandler>): Promise<void> {
    this.handlers = handlers;
    const settings = this.settings;
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

  /** Stops pulling, waits for the batch in flight and gives back what was received but not started. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.consumerMessages?.stop();
    this.wakeConsumer?.();
    this.wakeReader?.();
    await this.consuming?.catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** One batch at a time, in the order received; on close, what was not started goes back to the stream. */
  private async handleReceived(batchSize: number): Promise<void> {
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
      const work = this.consumeBatch(batch).catch((error: Error) => {
        // Acks and naks fail only with the connection; JetStream offers these events again after ack_wait.
        this.log.warn(`a batch of ${batch.length} events could not be settled: ${error.message}`);
      });
      this.track(work);
      await work;
    }
  }

  private async consumeBatch(messages: JsMsg[]): Promise<void> {
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
      const handler = this.handlers.get(event.type);
      if (handler) handled.push({ m, event, handler });
      else m.ack();
    }
    await this.handleTogether(handled);
  }

  /**
   * Handles events as one batch; if the batch fails, its halves are tried
   * apart, down to single events, so a bad event costs the others a few
   * retries, not their batching, and only it is offered again later.
   */
  private async handleTogether(handled: ReceivedEvent[]): Promise<void> {
    const runBatch = this.options.eventBatch;
    if (handled.length <= 1 || !runBatch) {
      for (const h of handled) await this.withEventContext(h, () => this.consumeEvent(h));
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
      await this.handleTogether(handled.slice(0, half));
      await this.handleTogether(handled.slice(half));
      return;
    }
    for (const h of handled) this.withEventContext(h, () => this.acked(h));
  }

  private withEventContext<T>({ m, event }: ReceivedEvent, work: () => T): T {
    return runWithRequestId(m.headers?.get(Headers.requestId) || event.id, work, event.traceparent, event.tracestate);
  }

  private async runHandler({ m, event, handler }: ReceivedEvent): Promise<void> {
    // Tracing on, the handler runs in a consumer span that continues the event's trace (ADR 0018).
    const call = () => this.run(() => handler(event, new NatsContext([m.subject, m.headers as never])));
    await (tracingEnabled()
      ? withSpan(`${event.type} process`, 'consumer', call, {
          traceparent: event.traceparent,
          tracestate: event.tracestate,
          attributes: { 'messaging.system': 'nats', 'messaging.destination.name': m.subject, 'messaging.message.id': event.id },
        })
      : call());
  }

  private acked({ m, event }: ReceivedEvent): void {
    this.options.metrics?.events.labels(event.type, 'ok').inc();
    m.ack();
    this.log.log({ msg: `${event.type} handled`, eventId: event.id, subject: event.subject, delivery: m.info.redeliveryCount });
  }

  private async consumeEvent(received: ReceivedEvent): Promise<void> {
    const { m, event } = received;
    try {
      await this.runHandler(received);
      this.acked(received);
    } catch (error) {
      this.options.metrics?.events.labels(event.type, 'retry').inc();
      this.log.warn(`event ${event.type} ${event.id} failed (delivery ${m.info.redeliveryCount}): ${(error as Error).message}`);
      m.nak(this.settings.retryDelayMs * Math.min(m.info.redeliveryCount, 10));
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
