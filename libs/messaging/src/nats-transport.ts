import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { NatsConnection } from 'nats';
import { isObservable, lastValueFrom } from 'rxjs';
import type { RpcMetrics } from '@clientele/observability';
import { JetStreamConsumer, type EventBatchRunner, type EventConsumerSettings } from './jetstream-consumer';
import { RpcServer } from './rpc-server';

export interface NatsTransportOptions {
  connection: NatsConnection;
  /** Queue group shared by every replica of the service. */
  queue: string;
  /** Put in front of every request subject. */
  prefix: string;
  /**
   * Wraps each handled message, e.g. in its own ORM request context; not the
   * requests of handlers whose pattern says `WITHOUT_UNIT_OF_WORK`.
   */
  unitOfWork?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Each answered request logged at debug level too (the refused and failed ones always are); on unless false. */
  logAnswers?: boolean;
  events?: EventConsumerSettings;
  eventBatch?: EventBatchRunner;
  metrics?: RpcMetrics;
}

/**
 * The Nest transport strategy for NATS. Nest hands one strategy every
 * handler; this one gives `@MessagePattern(subject)` handlers to the
 * `RpcServer` (core request/reply in a queue group) and `@EventPattern(eventType)`
 * handlers to the `JetStreamConsumer` (a durable pull consumer), and runs each
 * call in its own unit of work.
 */
export class NatsTransport extends Server implements CustomTransportStrategy {
  private readonly rpc: RpcServer;
  private readonly consumer?: JetStreamConsumer;
  private closed = false;

  /**
   * Calls a handler, in its own unit of work unless `unitOfWork` is false;
   * its result may be a value, a promise or an observable (only an observable
   * is subscribed to).
   */
  private readonly run = async (call: () => Promise<unknown>, { unitOfWork = true } = {}): Promise<unknown> => {
    const work = async () => {
      const result = await call();
      return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
    };
    return unitOfWork && this.options.unitOfWork ? this.options.unitOfWork(work) : work();
  };

  constructor(private readonly options: NatsTransportOptions) {
    super();
    this.rpc = new RpcServer(options, this.run);
    if (options.events) {
      this.consumer = new JetStreamConsumer(
        { connection: options.connection, settings: options.events, eventBatch: options.eventBatch, metrics: options.metrics },
        this.run,
      );
    }
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const requests = new Map<string, MessageHandler>();
      const events = new Map<string, MessageHandler>();
      for (const [pattern, handler] of this.messageHandlers) (handler.isEventHandler ? events : requests).set(pattern, handler);
      this.rpc.listen(requests);
      if (this.consumer && events.size) await this.consumer.start(events);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops taking new work, then waits for the work in flight. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.rpc.close(), this.consumer?.close()]);
  }

  on(): never {
    throw new Error('NatsTransport does not emit status events');
  }

  unwrap<T>(): T {
    return this.options.connection as T;
  }
}
