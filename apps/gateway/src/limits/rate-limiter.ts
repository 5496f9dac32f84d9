import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { StorageType, type KV, type NatsConnection } from 'nats';
import { natsConnected } from '@clientele/messaging';

/** At most `max` hits per `windowMs`; `max` 0 turns the limit off. */
export interface Limit {
  name: string;
  max: number;
  windowMs: number;
}

export interface Verdict {
  allowed: boolean;
  /** Seconds until the window that refused the hit ends. */
  retryAfterSeconds: number;
}

const ALLOWED: Verdict = { allowed: true, retryAfterSeconds: 0 };
const CAS_ATTEMPTS = 8;

/**
 * Fixed-window counters in a JetStream key-value bucket, so every gateway
 * replica counts against the same numbers. Counts move by compare-and-set on
 * the key's revision; the bucket forgets keys after the longest window. The
 * counted value is hashed into the key: no address or e-mail is stored.
 * If NATS cannot answer, the request goes through (and a warning is logged):
 * the limits guard against abuse, they are not an outage of their own.
 */
export class RateLimiter {
  private readonly log = new Logger(RateLimiter.name);
  private kv?: Promise<KV>;

  constructor(
    private readonly nats: NatsConnection,
    private readonly bucket: string,
    private readonly longestWindowMs: number,
    private readonly replicas = 1,
  ) {}

  /** Counts one hit of `value` against each limit; refused if any is over. */
  async hit(limits: readonly Limit[], value: string): Promise<Verdict> {
    const active = limits.filter((l) => l.max > 0);
    // Without NATS the request is refused with a 503 anyway: no need to wait for the counters first.
    if (!active.length || !natsConnected(this.nats)) return ALLOWED;
    const verdicts = await Promise.all(active.map((limit) => this.count(limit, value)));
    return verdicts.find((v) => !v.allowed) ?? ALLOWED;
  }

  private async count(limit: Limit, value: string): Promise<Verdict> {
    const now = Date.now();
    const window = Math.floor(now / limit.windowMs);
    const key = `${limit.name}.${createHash('sha256').update(value).digest('hex').slice(0, 40)}.${window}`;
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * limit.windowMs - now) / 1000));
    try {
      const kv = await this.store();
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const entry = await kv.get(key);
        const current = entry && entry.operation === 'PUT' ? Number(entry.string()) : 0;
        if (current >= limit.max) return { allowed: false, retryAfterSeconds };
        try {
          if (entry) await kv.update(key, String(current + 1), entry.revision);
          else await kv.create(key, String(current + 1));
          return ALLOWED;
        } catch (error) {
          if (!isRevisionConflict(error)) throw error;
        }
      }
      this.log.warn({ msg: 'rate limit counter too contended; letting the request through', limit: limit.name });
      return ALLOWED;
    } catch (error) {
      this.kv = undefined;
      this.log.warn({ msg: 'rate limits unavailable; letting the request through', limit: limit.name, err: (error as Error).message });
      return ALLOWED;
    }
  }

  private store(): Promise<KV> {
    // A slow NATS delays a request by at most a second before the limit is skipped.
    this.kv ??= this.nats.jetstream({ timeout: 1_000 }).views.kv(this.bucket, {
      history: 1,
      ttl: this.longestWindowMs * 2,
      max_bytes: 64 * 1024 * 1024,
      storage: StorageType.Memory,
      replicas: this.replicas,
    });
    return this.kv;
  }
}

function isRevisionConflict(error: unknown): boolean {
  return /wrong last sequence|key exists/i.test((error as Error)?.message ?? '');
}
