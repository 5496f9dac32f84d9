import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Caller } from '@clientele/contracts';
import { PollingLoop } from '@clientele/messaging';
import { queryPrepared } from '../shared/prepared';
import { runInAuditScope, type AuditActor, type AuditScope } from '../audit/audit-scope';
import { CompleteClientImportCommand } from './complete-client-import/complete-client-import.command';
import { ImportClientRowCommand } from './import-client-row/import-client-row.command';
import { ImportClientRowsCommand } from './import-client-rows/import-client-rows.command';

/**
 * A claim on an import lasts this long unless its worker renews it, which it
 * does every RENEW_MS while it works on it: a worker that died frees its
 * import within CLAIM_SECONDS for any replica to resume.
 */
const CLAIM_SECONDS = 15;
const RENEW_MS = 5_000;
/** Pending rows read at a time. */
const PAGE = 100;
/** Rows created in one transaction on the fast path (ADR 22). */
const BATCH = 25;
/** Imports one replica works on side by side (a different one each). */
const CONCURRENT_IMPORTS = 2;
/** How often an idle loop looks for imports nobody holds (a new one wakes its own replica at once). */
const POLL_MS = 1_000;
/** Parts of files that were never imported (a gateway gone mid-upload) are removed after this. */
const STAGED_PART_RETENTION = '1 hour';
const STAGED_SWEEP_MS = 10 * 60_000;

interface Claimed {
  id: string;
  caller: Caller;
  actor: AuditActor;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}

/**
 * Runs imports in the background, in every replica. A worker claims a whole
 * import (`FOR UPDATE SKIP LOCKED` under a renewed lease), so one import's
 * rows are created one after the other in file order: of two rows with the
 * same name, the later one fails. Rows are created and marked in the same
 * transaction, 25 at a time (`ImportClientRowsCommand`), or one by one when
 * a create in the batch is refused (`ImportClientRowCommand`), so resuming
 * after a crash takes up only rows that were not created. When no row is
 * pending, the import is done (`CompleteClientImportCommand`).
 */
@Injectable()
export class ClientImportWorker {
  private readonly log = new Logger(ClientImportWorker.name);
  /** One loop per import worked on side by side: a long import in one leaves the others free for new ones. */
  private readonly loops: PollingLoop[];
  /** This process's name on the claims it holds. */
  private readonly workerId = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  /** Imports this worker holds: their claims are renewed until it lets them go. */
  private readonly held = new Set<string>();
  private renewer?: NodeJS.Timeout;
  private stopping = false;
  private lastSweep = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly commands: CommandBus,
  ) {
    this.loops = Array.from(
      { length: CONCURRENT_IMPORTS },
      () =>
        new PollingLoop(() => this.pass(), {
          name: 'client import worker',
          intervalMs: POLL_MS,
          maxBackoffMs: 5_000,
          onError: (line) => this.log.warn(line),
        }),
    );
  }

  start(): void {
    for (const loop of this.loops) loop.start();
    this.renewer = setInterval(() => void this.renewClaims().then(() => this.sweepStagedParts()), RENEW_MS);
    this.renewer.unref();
  }

  /** An import was stored here: start on it now rather than at the next poll (a loop that is busy takes it when free). */
  nudge(): void {
    for (const loop of this.loops) loop.nudge();
  }

  /** Finishes the rows in hand, lets their imports go (another replica resumes them at once) and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops.map((loop) => loop.stop()));
    clearInterval(this.renewer);
  }

  /** Claims one import nobody holds and works on it until it is done or this worker stops. */
  async pass(): Promise<'more' | 'idle'> {
    if (this.stopping) return 'idle';
    // Prepared (parsed and planned once per connection), straight to the driver: every replica's idle loops ask
    // this every second, beside its requests.
    const [job] = await queryPrepared<Claimed>(
      this.orm.em,
      `update accounts.client_import i
          set status = case when i.status = 'queued' then 'running' else i.status end,
              claimed_by = ?, claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
        where i.id = (select id from accounts.client_import
                       where status <> 'done' and (claimed_until is null or claimed_until < now())
                       order by created_at, id limit 1 for update skip locked)
        returning i.id, i.caller, i.actor, i.ip, i.user_agent, i.request_id`,
      [this.workerId],
    );
    if (!job) return 'idle';
    this.held.add(job.id);
    try {
      await this.work(job);
    } finally {
      this.held.delete(job.id);
      await this.release(job.id);
    }
    return 'more';
  }

  /** The import's pending rows in file order, each as the caller who started it, in the audit scope it was started in. */
  private async work(job: Claimed): Promise<void> {
    const scope: AuditScope = {
      actor: job.actor,
      ...(job.ip ? { ip: job.ip } : {}),
      ...(job.user_agent ? { userAgent: job.user_agent } : {}),
      ...(job.request_id ? { requestId: job.request_id } : {}),
    };
    // Each step in its own ORM context (DESIGN rule 6) and in the import's audit scope.
    const run = <T>(command: () => Promise<T>) => runInAuditScope(scope, () => RequestContext.create(this.orm.em, command));
    for (;;) {
      const pending = await this.orm.em.fork().execute<{ row_no: number }[]>(
        `select row_no from accounts.client_import_row where import_id = ? and status = 'pending' order by row_no limit ${PAGE}`,
        [job.id],
      );
      if (!pending.length) break;
      for (let first = 0; first < pending.length; first += BATCH) {
        if (this.stopping) return;
        const batch = pending.slice(first, first + BATCH).map(({ row_no }) => row_no);
        // All rows of the batch in one transaction; if a create is refused, row by row.
        const settled = await run(() => this.commands.execute(new ImportClientRowsCommand(job.id, batch, job.caller)));
        if (settled !== 'one-by-one') continue;
        for (const row of batch) {
          if (this.stopping) return;
          await run(() => this.commands.execute(new ImportClientRowCommand(job.id, row, job.caller)));
        }
      }
    }
    // Done is the system's doing, not the importer's: its audit entry is the system's.
    await RequestContext.create(this.orm.em, () => this.commands.execute(new CompleteClientImportCommand(job.id)));
  }

  /** Lets an import go: done, or left for another replica (at once, not after the lease) when this one stops. */
  private async release(importId: string): Promise<void> {
    try {
      await this.orm.em
        .fork()
        .execute(`update accounts.client_import set claimed_by = null, claimed_until = null where id = ? and claimed_by = ?`, [importId, this.workerId]);
    } catch (error) {
      // The database is away: the lease runs out by itself.
      this.log.warn(`releasing import ${importId} failed: ${(error as Error).message}`);
    }
  }

  /** Keeps the claims of the imports in hand; while the database is away this fails, and the leases cover the gap. */
  private async renewClaims(): Promise<void> {
    if (!this.held.size) return;
    try {
      await this.orm.em.fork().execute(
        `update accounts.client_import set claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
          where id = any(?::uuid[]) and claimed_by = ?`,
        [`{${[...this.held].join(',')}}`, this.workerId],
      );
    } catch (error) {
      this.log.warn(`renewing the claims of ${this.held.size} imports failed: ${(error as Error).message}`);
    }
  }

  private async sweepStagedParts(): Promise<void> {
    if (Date.now() - this.lastSweep < STAGED_SWEEP_MS) return;
    this.lastSweep = Date.now();
    try {
      await this.orm.em.fork().execute(`delete from accounts.client_import_part where created_at < now() - interval '${STAGED_PART_RETENTION}'`);
    } catch (error) {
      this.log.warn(`removing old staged import parts failed: ${(error as Error).message}`);
    }
  }
}
