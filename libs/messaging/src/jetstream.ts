import { JetStreamManager, NatsConnection, RetentionPolicy, StorageType, headers as natsHeaders } from 'nats';
import { Headers, type CloudEvent } from '@clientele/contracts';

export interface StreamSettings {
  name: string;
  subjects: string[];
  /** How long JetStream remembers message ids to drop re-publications. */
  duplicateWindowMs: number;
  /** Copies kept on a NATS cluster (1 on a single server). */
  replicas?: number;
}

/**
 * Creates the stream, or (for its owner) brings its subjects and duplicate
 * window up to date. Safe to call from every replica.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  settings: StreamSettings,
  mode: 'owner' | 'subscriber' = 'owner',
): Promise<void> {
  const config = {
    name: settings.name,
    subjects: settings.subjects,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: settings.duplicateWindowMs * 1_000_000,
    num_replicas: settings.replicas ?? 1,
  };
  try {
    const info = await jsm.streams.info(settings.name);
    const same =
      info.config.subjects?.join() === config.subjects.join() &&
      info.config.duplicate_window === config.duplicate_window &&
      info.config.num_replicas === config.num_replicas;
    if (!same && mode === 'owner') await jsm.streams.update(settings.name, { ...info.config, ...config });
  } catch (error) {
    if (!/stream not found/i.test((error as Error).message)) throw error;
    try {
      await jsm.streams.add(config);
    } catch (raced) {
      // Another replica created it between our look and our add.
      if (!/already in use/i.test((raced as Error).message)) throw raced;
    }
  }
}

/**
 * Publishes one CloudEvent and resolves on JetStream's ack. `Nats-Msg-Id` is
 * the event id, so a re-publication inside the duplicate window is dropped.
 */
export async function publishEvent(
  nc: NatsConnection,
  subject: string,
  event: CloudEvent,
  options: { stream: string; timeoutMs: number; requestId?: string | null },
): Promise<{ seq: number; duplicate: boolean }> {
  const h = natsHeaders();
  h.set('Content-Type', 'application/cloudevents+json');
  h.set('ce-id', event.id);
  h.set('ce-type', event.type);
  if (options.requestId) h.set(Headers.requestId, options.requestId);
  const ack = await nc.jetstream().publish(subject, JSON.stringify(event), {
    msgID: event.id,
    expect: { streamName: options.stream },
    headers: h,
    timeout: options.timeoutMs,
  });
  return { seq: ack.seq, duplicate: ack.duplicate };
}
