import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { NatsConnection } from 'nats';
import { Gauge, Registry } from 'prom-client';
import type { CloudEvent } from '@clientele/contracts';
import { PollingLoop, ensureStream, publishEvent } from '@clientele/messaging';
import { METRICS_REGISTRY, sharedCollect } from '@clientele/observability';
import { NATS_CONNECTION } from '../shared/tokens';
import { EventsSettings } from './events.settings';
import { OutboxSettings } from './outbox.settings';
import { queryPrepared } from '../shared/prepared';

const BATCH = 200;
const LINGER_MS = 10;
/** One advisory lock per database: at most one relay publishes at a time (ADR 0004). */
const RELAY_LOCK = `select pg_try_advisory_xact_lock(hashtext('clientele.accounts.outbox')) as locked`;
/** One prepared statement on the partial index of unsent rows: what a pass nobody nudged asks first. */
const ANY_UNSENT = `select 1 as unsent from accounts.outbox where sent_at is null limit 1`;

interface Row {
  seq: string;
  subject: string;
  event: CloudEvent;
  request_id: string | null;
}

/**
 * Publishes outbox rows to JetStream in commit-safe order and marks each one
 * sent only after JetStream's ack. Every replica runs one; a transaction-level
 * advisory lock lets exactly one of them publish a batch, so no row goes out
 * twice concurrently and one aggregate's events keep their order.
 */
@Injectable()
export class OutboxRelay {
  private readonly log = new Logger(OutboxRelay.name);
  private readonly loop: PollingLoop;
  private lastCleanup = 0;
  /** Rows JetStream acknowledged whose `sent_at` could not be committed. */
  private readonly ackedUnrecorded = new Set<string>();
  /** A commit here asked for a pass since the last one began. */
  private nudged = false;

  constructor(
    private readonly orm: MikroORM,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly events: EventsSettings,
    private readonly settings: OutboxSettings,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.watch(registry);
    this.loop = new PollingLoop(() => this.pass(), {
      name: 'outbox relay',
      intervalMs: settings.pollMs,
      maxBackoffMs: 5_000,
      onError: (line) => this.log.warn(line),
    });
  }

  async start(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    await ensureStream(jsm, {
      name: this.events.stream,
      subjects: [`${this.events.subjectRoot}.>`],
      duplicateWindowMs: this.events.duplicateWindowMs,
      replicas: this.events.replicas,
    });
    this.loop.start();
  }

  /**
   * A commit happened here: publish soon rather than at the next poll. The
   * relay lingers a moment so the commits of a busy moment share one batch
   * (one transaction, one pipelined wave) instead of one batch each.
   */
  nudge(): void {
    this.nudged = true;
    this.loop.nudge(LINGER_MS);
  }

  /** Stops the loop after one last pass, so what was committed before SIGTERM goes out. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.publishBatch().catch((error) => this.log.warn(`final outbox flush failed: ${(error as Error).message}`));
  }

  /**
   * A pass nobody nudged (the poll that finds other replicas' rows, or rows a
   * failed pass left) first asks with one prepared statement whether any row
   * is unsent, and opens the relay's transaction (begin, lock, read, commit)
   * only if one is: an idle relay's polls cost accounts 2.5 ms of CPU each
   * as transactions, and they run beside the requests.
   */
  private async pass(): Promise<'more' | 'idle'> {
    const nudged = this.nudged;
    this.nudged = false;
    const published = nudged || (await this.anyUnsent()) ? await this.publishBatch() : 0;
    await this.cleanup();
    return published === BATCH ? 'more' : 'idle';
  }

  private async anyUnsent(): Promise<boolean> {
    return (await queryPrepared(this.orm.em, ANY_UNSENT, [])).length > 0;
  }

  /** Publishes up to one batch; returns how many rows were acknowledged. */
  async publishBatch(): Promise<number> {
    const em = this.orm.em.fork();
    let acked: string[] = [];
    try {
      const outcome = await em.transactional(async (tx) => {
        const [{ locked }] = await tx.execute<{ locked: boolean }[]>(RELAY_LOCK);
        if (!locked) return { sent: 0 };
        const rows = await tx.execute<Row[]>(
          `select seq, subject, event, request_id from accounts.outbox where sent_at is null order by seq limit ${BATCH}`,
        );
        if (rows.length < BATCH) this.forgetRecordedElsewhere(rows);
        // Rows this relay had published when recording them failed are not published again.
        const known = rows.filter((row) => this.ackedUnrecorded.has(row.seq)).map((row) => row.seq);
        const { sent, failure } = await this.publishInWaves(rows.filter((row) => !this.ackedUnrecorded.has(row.seq)));
        acked = [...known, ...sent];
        if (acked.length) {
          await tx.execute(`update accounts.outbox set sent_at = now() where seq in (?)`, [acked]);
        }
        return { sent: acked.length, failure };
      });
      acked.forEach((seq) => this.ackedUnrecorded.delete(seq));
      // Thrown after the commit, so the rows that were acknowledged stay marked.
      if (outcome.failure) {
        throw new Error(`JetStream did not acknowledge an event (${outcome.failure.message}); ${outcome.sent} published before it`);
      }
      return outcome.sent;
    } catch (error) {
      // The database went away between JetStream's acks and the commit: remember what is out, so that a
      // pass after an outage longer than the stream's duplicate window does not publish it twice.
      for (const seq of acked) this.ackedUnrecorded.add(seq);
      throw error;
    }
  }

  /**
   * The backlog as every replica sees it, read when Prometheus scrapes (the
   * partial index on unsent rows keeps it cheap): how many events wait, and
   * for how long the oldest has.
   */
  private watch(registry: Registry): void {
    const collect = sharedCollect(async () => {
      const [row] = await this.orm.em
        .fork()
        .execute<{ n: number; age: number | null }[]>(
          `select count(*)::int as n, extract(epoch from now() - min(created_at))::float as age from accounts.outbox where sent_at is null`,
        );
      unsent.set(row.n);
      age.set(row.age ?? 0);
    });
    const unsent = new Gauge({ name: 'clientele_outbox_unsent', help: 'Outbox rows not yet acknowledged by JetStream', registers: [registry], collect });
    const age = new Gauge({
      name: 'clientele_outbox_oldest_unsent_seconds',
      help: 'How long the oldest event not yet acknowledged by JetStream has waited (0 when none waits)',
      registers: [registry],
      collect,
    });
  }

  /** Every unsent row is in `rows`: a remembered one that is not was recorded by another relay meanwhile. */
  private forgetRecordedElsewhere(rows: Row[]): void {
    if (!this.ackedUnrecorded.size) return;
    const unsent = new Set(rows.map((row) => row.seq));
    for (const seq of this.ackedUnrecorded) if (!unsent.has(seq)) this.ackedUnrecorded.delete(seq);
  }

  /**
   * Publishes rows in waves: wave k holds the k-th pending event of every
   * aggregate in the batch, so a wave's publications are pipelined (one write
   * to the socket, acks awaited together) and wave k + 1 starts only after
   * wave k was fully acknowledged. One aggregate's events thus go out in
   * `seq` order, while different aggregates share waves. If a publication
   * fails, nothing after its wave goes out, so no event of an aggregate can
   * overtake an earlier one.
   */
  private async publishInWaves(rows: Row[]): Promise<{ sent: string[]; failure?: Error }> {
    const sent: string[] = [];
    for (const wave of wavesOf(rows)) {
      const results = await Promise.allSettled(
        wave.map((row) =>
          publishEvent(this.nc, row.subject, row.event, {
            stream: this.events.stream,
            timeoutMs: this.events.publishTimeoutMs,
            requestId: row.request_id,
          }),
        ),
      );
      results.forEach((result, i) => result.status === 'fulfilled' && sent.push(wave[i].seq));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) return { sent, failure: failed.reason as Error };
    }
    return { sent };
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.orm.em.fork().execute(
      `delete from accounts.outbox where sent_at < now() - make_interval(secs => ?)`,
      [this.settings.retentionMs / 1000],
    );
  }
}

/** Rows (in `seq` order) split so that wave k holds each aggregate's k-th row. */
export function wavesOf<R extends { event: { subject: string } }>(rows: readonly R[]): R[][] {
  const waves: R[][] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const k = seen.get(row.event.subject) ?? 0;
    seen.set(row.event.subject, k + 1);
    (waves[k] ??= []).push(row);
  }
  return waves;
}
