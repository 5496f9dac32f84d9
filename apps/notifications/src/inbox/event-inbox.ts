import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CloudEvent } from '@clientele/contracts';

/** Writes rows of one kind with one statement (a multi-row insert). */
export type RowsWriter<T> = (em: EntityManager, rows: T[]) => Promise<void>;

interface Batch {
  em: EntityManager;
  /** Ids of the batch's events not handled before. */
  fresh: Set<string>;
  afterCommit: (() => void)[];
  /** Rows the batch's handlers wrote, by writer, not yet sent to the database (see `write`). */
  pending: Map<RowsWriter<never>, unknown[]>;
}

/**
 * At-least-once delivery, exactly-once effect: the event id is recorded in the
 * same transaction as the effect, and the JetStream ack comes after commit.
 * Events consumed together share one transaction (see `batch`).
 */
@Injectable()
export class EventInbox {
  private readonly batches = new AsyncLocalStorage<Batch>();

  constructor(private readonly em: EntityManager) {}

  /**
   * Handles several events in one transaction: their ids are recorded with one
   * statement, each handler's `handleOnce` joins the transaction, and the
   * whole batch commits or rolls back together.
   */
  async batch(events: readonly CloudEvent[], work: () => Promise<void>): Promise<void> {
    const afterCommit: (() => void)[] = [];
    await this.em.fork().transactional(async (em) => {
      const fresh = await this.record(em, events);
      const batch: Batch = { em, fresh, afterCommit, pending: new Map() };
      await this.batches.run(batch, work);
      await this.writePending(batch);
    });
    for (const fn of afterCommit) fn();
  }

  /** Runs `effect` unless this event id was handled before; returns whether it ran. */
  async handleOnce(event: CloudEvent, effect: (em: EntityManager) => Promise<void>): Promise<boolean> {
    const batch = this.batches.getStore();
    if (batch) {
      // Recorded with the batch; an id seen twice in one batch runs once.
      if (!batch.fresh.delete(event.id)) return false;
      await effect(batch.em);
      return true;
    }
    return this.em.transactional(async (em) => {
      if (!(await this.record(em, [event])).size) return false;
      await effect(em);
      return true;
    });
  }

  /**
   * Writes `row` with `writer`. Inside a batch the rows of every event are
   * written together, one statement per writer, when the batch's handlers are
   * done (in the batch's transaction, before it commits) or earlier when a
   * handler is about to run a statement that could read them (`flush`); a
   * failing statement fails the batch, which is then retried in halves.
   * Outside a batch the row is written at once.
   */
  async write<T>(em: EntityManager, writer: RowsWriter<T>, row: T): Promise<void> {
    const batch = this.batches.getStore();
    if (!batch || batch.em !== em) return writer(em, [row]);
    const rows = batch.pending.get(writer as RowsWriter<never>) ?? [];
    rows.push(row);
    batch.pending.set(writer as RowsWriter<never>, rows);
  }

  /** Sends the batch's pending rows now: before a statement that must see them. */
  async flush(em: EntityManager): Promise<void> {
    const batch = this.batches.getStore();
    if (batch && batch.em === em) await this.writePending(batch);
  }

  private async writePending(batch: Batch): Promise<void> {
    for (const [writer, rows] of batch.pending) {
      batch.pending.delete(writer);
      await (writer as RowsWriter<unknown>)(batch.em, rows);
    }
  }

  /** Runs `fn` once the current event's effect is committed (at once outside a batch). */
  afterCommit(fn: () => void): void {
    const batch = this.batches.getStore();
    if (batch) batch.afterCommit.push(fn);
    else fn();
  }

  private async record(em: EntityManager, events: readonly CloudEvent[]): Promise<Set<string>> {
    const placeholders = events.map(() => '(?, ?, ?, ?, now())').join(', ');
    const inserted = await em.execute<{ event_id: string }[]>(
      `insert into notifications.handled_event (event_id, type, subject, occurred_at, handled_at)
       values ${placeholders} on conflict (event_id) do nothing returning event_id`,
      events.flatMap((e) => [e.id, e.type, e.subject, e.time]),
    );
    return new Set(inserted.map((row) => row.event_id));
  }
}
