import { AckPolicy, type NatsConnection } from 'nats';

/** The CloudEvents attributes a subscriber reads; /docs/asyncapi.json has every type's `data`. */
export interface AccountsEvent {
  id: string;
  type: string;
  subject: string;
  time: string;
  data: unknown;
}

export interface SubscriberOptions {
  /** Your consumer's name: the server keeps what you acked, a restart goes on from there. */
  durable: string;
  /** Which events, e.g. `accounts.events.client.>`. */
  filter: string;
  stream?: string;
  /** The ids you have handled; in production, a table written in the same transaction as your effect. */
  handled: { has(id: string): Promise<boolean>; add(id: string): Promise<void> };
  handle(event: AccountsEvent): Promise<void>;
}

/** Reads the ACCOUNTS stream through a durable consumer, handles each event id once, acks after handling. */
export async function subscribe(nc: NatsConnection, options: SubscriberOptions): Promise<{ stop(): Promise<void> }> {
  const stream = options.stream ?? 'ACCOUNTS';
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(stream, { durable_name: options.durable, filter_subject: options.filter, ack_policy: AckPolicy.Explicit });
  const messages = await (await nc.jetstream().consumers.get(stream, options.durable)).consume();
  const done = (async () => {
    for await (const m of messages) {
      const event = m.json<AccountsEvent>();
      try {
        // Delivery is at least once: an id seen before is acked without handling it again.
        if (!(await options.handled.has(event.id))) {
          await options.handle(event);
          await options.handled.add(event.id);
        }
        m.ack();
      } catch (error) {
        console.error(`event ${event.id} failed, retrying in 5 s:`, error);
        m.nak(5_000);
      }
    }
  })();
  return {
    async stop() {
      messages.stop();
      await done;
    },
  };
}
