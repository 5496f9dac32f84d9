import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Counter, Registry } from 'prom-client';
import { PollingLoop } from '@clientele/messaging';
import { METRICS_REGISTRY } from '@clientele/observability';
import { AccountsConfig } from '../config';

/** Entries removed by one statement: short transactions, whatever has piled up. */
export const AUDIT_SWEEP_BATCH = 5_000;
/** Entries age by the day: an hourly look is plenty. */
const INTERVAL_MS = 60 * 60_000;

/**
 * Removes audit entries older than `AUDIT_RETENTION`, a batch per statement,
 * again at once while batches come back full, then hourly. Every replica runs
 * it: a batch takes only rows no other replica's batch holds (`SKIP LOCKED`),
 * so sweeps running side by side share the work instead of waiting.
 */
@Injectable()
export class AuditRetentionSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(AuditRetentionSweep.name);
  private readonly loop: PollingLoop;
  private readonly removed: Counter;

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AccountsConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.removed = new Counter({ name: 'clientele_audit_events_removed_total', help: 'Audit entries removed for being older than AUDIT_RETENTION', registers: [registry] });
    this.loop = new PollingLoop(async () => ((await this.removeBatch()) === AUDIT_SWEEP_BATCH ? 'more' : 'idle'), {
      name: 'audit retention sweep',
      intervalMs: INTERVAL_MS,
      maxBackoffMs: INTERVAL_MS,
      onError: (line) => this.log.warn(line),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Removes up to `batch` expired entries, oldest first, in one statement; how many it removed. */
  async removeBatch(batch = AUDIT_SWEEP_BATCH): Promise<number> {
    const rows = await this.orm.em.fork().execute<{ n: number }[]>(
      `with expired as (
         select id from accounts.audit_event where occurred_at < now() - make_interval(secs => ?)
          order by occurred_at limit ? for update skip locked
       ), gone as (delete from accounts.audit_event e using expired where e.id = expired.id returning 1)
       select count(*)::int as n from gone`,
      [this.config.auditRetentionMs / 1000, batch],
    );
    const n = rows[0]?.n ?? 0;
    if (n) this.removed.inc(n);
    return n;
  }
}
