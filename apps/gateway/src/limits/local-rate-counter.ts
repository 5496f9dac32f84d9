import { createHash, randomUUID } from 'node:crypto';
import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Msg, NatsConnection, Subscription } from 'nats';
import type { Limit, Verdict } from './rate-limiter';

/** How often a replica tells the others what it counted. */
export const SYNC_MS = 100;
const SNAPSHOT_WAIT_MS = 500;
const ALLOWED: Verdict = { allowed: true, retryAfterSeconds: 0 };

interface Slot {
  /** Every hit known here: this replica's and the others' as they reported them. */
  total: number;
  /** This replica's hits not yet reported. */
  pending: number;
}

interface Window {
  endsAt: number;
  slots: Map<string, Slot>;
}

/** What replicas send each other: per window (`<limit>.<index>`), per hashed key, a count. */
interface Report {
  from: string;
  windows: Record<string, { endsAt: number; counts: Record<string, number> }>;
}

/**
 * Fixed-window counters decided in this process, with no round trip on the
 * request's path, and shared with the other gateway replicas in the
 * background: every SYNC_MS a replica publishes the hits it admitted since its
 * last report on a core NATS subject that every replica reads, and adds the
 * others' reports to its own counts. A replica that starts asks a running one
 * for the counts so far. Values are hashed before they leave the process.
 *
 * The error is bounded (ADR 13): with N replicas, a key can be admitted up to
 * (N - 1) x (its hits per replica in SYNC_MS plus delivery) beyond its limit
 * in one window, and each replica counts alone while NATS is away.
 */
export class LocalRateCounter implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(LocalRateCounter.name);
  private readonly replica = randomUUID();
  private readonly windows = new Map<string, Window>();
  private subscriptions: Subscription[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly nats: NatsConnection,
    /** Subjects of the replicas' reports and of snapshot requests. */
    private readonly subject: string,
  ) {}

  onModuleInit(): Promise<void> {
    return this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  async start(): Promise<void> {
    // Reports first, so none is missed while the snapshot is on its way.
    this.subscriptions = [this.nats.subscribe(`${this.subject}.counts`, { callback: (error, msg) => !error && this.merge(msg) })];
    try {
      const answer = await this.nats.request(`${this.subject}.snapshot`, '', { timeout: SNAPSHOT_WAIT_MS });
      this.merge(answer);
    } catch {
      // No other replica yet (or none answered in time): counting starts from zero.
    }
    // Only now answer others' requests: a replica must not answer its own.
    this.subscriptions.push(
      this.nats.subscribe(`${this.subject}.snapshot`, { callback: (error, msg) => !error && msg.respond(JSON.stringify(this.snapshot())) }),
    );
    this.timer = setInterval(() => this.report(), SYNC_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.report();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  /** Counts one hit of `value` against `limit`, unless it is over. */
  hit(limit: Limit, value: string): Verdict {
    if (limit.max <= 0) return ALLOWED;
    const now = Date.now();
    const index = Math.floor(now / limit.windowMs);
    const endsAt = (index + 1) * limit.windowMs;
    const name = `${limit.name}.${index}`;
    let window = this.windows.get(name);
    if (!window) this.windows.set(name, (window = { endsAt, slots: new Map() }));
    const key = createHash('sha256').update(value).digest('base64url').slice(0, 22);
    let slot = window.slots.get(key);
    if (!slot) window.slots.set(key, (slot = { total: 0, pending: 0 }));
    if (slot.total >= limit.max) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)) };
    slot.total += 1;
    slot.pending += 1;
    return ALLOWED;
  }

  /** Publishes what this replica admitted since its last report, and forgets windows that ended. */
  private report(): void {
    const now = Date.now();
    const report: Report = { from: this.replica, windows: {} };
    let any = false;
    for (const [name, window] of this.windows) {
      if (window.endsAt < now) {
        this.windows.delete(name);
        continue;
      }
      const counts: Record<string, number> = {};
      for (const [key, slot] of window.slots) {
        if (!slot.pending) continue;
        counts[key] = slot.pending;
        slot.pending = 0;
        any = true;
      }
      if (Object.keys(counts).length) report.windows[name] = { endsAt: window.endsAt, counts };
    }
    if (!any) return;
    try {
      this.nats.publish(`${this.subject}.counts`, JSON.stringify(report));
    } catch (error) {
      // The connection is closed: this replica counts alone until it is back.
      this.log.debug(`rate counts not shared: ${(error as Error).message}`);
    }
  }

  /**
   * Everything counted here and already reported, for a replica that starts:
   * hits not yet reported reach it with the next report, so none counts twice.
   */
  private snapshot(): Report {
    const report: Report = { from: this.replica, windows: {} };
    for (const [name, window] of this.windows) {
      const counts: Record<string, number> = {};
      for (const [key, slot] of window.slots) if (slot.total > slot.pending) counts[key] = slot.total - slot.pending;
      report.windows[name] = { endsAt: window.endsAt, counts };
    }
    return report;
  }

  private merge(msg: Msg): void {
    let report: Report;
    try {
      report = msg.json<Report>();
    } catch {
      return;
    }
    if (report.from === this.replica || typeof report.windows !== 'object') return;
    const now = Date.now();
    for (const [name, { endsAt, counts }] of Object.entries(report.windows)) {
      if (!(endsAt > now)) continue;
      let window = this.windows.get(name);
      if (!window) this.windows.set(name, (window = { endsAt, slots: new Map() }));
      for (const [key, count] of Object.entries(counts)) {
        if (!(count > 0)) continue;
        const slot = window.slots.get(key);
        if (slot) slot.total += count;
        else window.slots.set(key, { total: count, pending: 0 });
      }
    }
  }
}
