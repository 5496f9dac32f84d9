import { Injectable } from '@nestjs/common';
import { OptimisticLockError } from '@mikro-orm/core';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { CloudEvent } from '@clientele/contracts';
import { eventSubject } from '@clientele/contracts';
import { currentRequestId, currentTraceContext } from '@clientele/observability';
import type { Aggregate, DomainEvent } from '../domain/aggregate';
import { VersionConflictError } from '../domain/domain-error';
import { newId } from '../domain/ids';
import { queryPrepared } from '../shared/prepared';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox.relay';
import { EventsSettings } from './events.settings';

/**
 * Runs a change in one transaction and writes the events the aggregates raised
 * into the outbox in that same transaction, so nothing committed is lost
 * between the database and the bus. Wakes the relay after the commit.
 *
 * A change run inside `transaction()` is part of it (as a savepoint):
 * whatever else that transaction writes (the answer an Idempotency-Key
 * replays) commits with the change or not at all.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly em: EntityManager,
    private readonly relay: OutboxRelay,
    private readonly events: EventsSettings,
  ) {}

  async run<T>(
    work: (em: EntityManager) => Promise<{ result: T; aggregates: Aggregate[]; events?: DomainEvent[] }>,
    onUniqueViolation?: (constraint: string) => Error | undefined,
  ): Promise<T> {
    let result: T;
    try {
      result = await this.em.transactional(
        async (em) => {
          const outcome = await work(em);
          const now = new Date();
          // Events of aggregates, then events of set-wise changes made without entities (bulk commands).
          const events = [...outcome.aggregates.flatMap((aggregate) => aggregate.pullEvents()), ...(outcome.events ?? [])];
          const rows = events.map((event) => this.toOutbox(event, now));
          // Outbox rows are only ever inserted here and read by the relay: written directly, without change tracking.
          if (rows.length) await em.insertMany(OutboxMessage, rows);
          // Flushed here even inside an outer transaction, so conflicts surface (and are mapped) now.
          await em.flush();
          return outcome.result;
        },
        // Inside transaction() this is a savepoint: an attempt that fails (a version conflict retried by the
        // caller, say) takes its outbox rows and its entities with it, and the outer transaction goes on.
      );
    } catch (error) {
      // Someone changed the same row since we read it (the version column moved).
      if (error instanceof OptimisticLockError) throw new VersionConflictError();
      if (error instanceof UniqueConstraintViolationException && onUniqueViolation) {
        const constraint = /unique constraint "([^"]+)"/.exec(error.message)?.[1] ?? '';
        const mapped = onUniqueViolation(constraint);
        if (mapped) throw mapped;
      }
      throw error;
    }
    this.relay.nudge();
    return result;
  }

  /**
   * New aggregates and the events they raised, written by one statement (a
   * data-modifying CTE per table) instead of a flush: one round trip to the
   * database, atomic on its own, and joined to an outer `transaction()` when
   * there is one. For creations, whose every row is new: nothing is tracked
   * by the ORM afterwards. A prepared statement: creations of one shape share
   * its parse and plan.
   */
  async insert<T>(
    creation: { result: T; entities: object[]; aggregates: Aggregate[] },
    onUniqueViolation?: (constraint: string) => Error | undefined,
  ): Promise<T> {
    const now = new Date();
    const events = creation.aggregates.flatMap((aggregate) => aggregate.pullEvents());
    const outbox = events.map((event) => Object.assign(new OutboxMessage(), this.toOutbox(event, now)));
    const { sql, params } = insertStatement(this.em, [...creation.entities, ...outbox]);
    try {
      await queryPrepared(this.em, sql, params);
    } catch (error) {
      const constraint = /unique constraint "([^"]+)"/.exec((error as Error).message)?.[1];
      const mapped = constraint && onUniqueViolation?.(constraint);
      if (mapped) throw mapped;
      throw error;
    }
    this.relay.nudge();
    return creation.result;
  }

  /**
   * One transaction around `work`; every `run` inside it joins it. The relay is
   * woken after the commit, when the events can be seen.
   */
  async transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.em.transactional(work);
    this.relay.nudge();
    return result;
  }

  private toOutbox(event: DomainEvent, now: Date): Omit<OutboxMessage, 'seq'> {
    const cloudEvent: CloudEvent = {
      specversion: '1.0',
      id: newId(),
      source: '/accounts',
      type: event.type,
      subject: event.subject,
      time: now.toISOString(),
      datacontenttype: 'application/json',
      // CloudEvents distributed tracing: the trace the change belongs to, when it has one (ADR 0018).
      ...currentTraceContext(),
      data: event.data,
    };
    return {
      eventId: cloudEvent.id,
      aggregateId: event.subject,
      subject: eventSubject(event.type, this.events.subjectRoot),
      event: cloudEvent,
      requestId: currentRequestId() ?? null,
      createdAt: now,
      sentAt: null,
    };
  }
}

/**
 * `with t1 as (insert …), t2 as (insert …) select 1` for new entities of any
 * mapped tables, columns and conversions taken from the ORM's metadata.
 */
function insertStatement(em: EntityManager, entities: object[]): { sql: string; params: unknown[] } {
  const byClass = new Map<string, object[]>();
  for (const entity of entities) {
    const name = entity.constructor.name;
    byClass.set(name, [...(byClass.get(name) ?? []), entity]);
  }
  const params: unknown[] = [];
  const parts = [...byClass].map(([name, rows], i) => {
    const meta = em.getMetadata().get(name);
    // Database-generated columns (the outbox's sequence) are left to the database.
    const props = meta.props.filter((p) => p.persist !== false && !(p.primary && p.autoincrement) && p.fieldNames?.length === 1);
    const values = rows.map((row) => {
      const cells = props.map((p) => {
        const value = (row as Record<string, unknown>)[p.name];
        if (value === undefined) return 'default';
        params.push(value !== null && isJson(p) ? JSON.stringify(value) : value);
        return '?';
      });
      return `(${cells.join(', ')})`;
    });
    const table = `${meta.schema ?? em.config.get('schema')}.${em.getPlatform().quoteIdentifier(meta.tableName)}`;
    return `t${i} as (insert into ${table} (${props.map((p) => em.getPlatform().quoteIdentifier(p.fieldNames[0])).join(', ')}) values ${values.join(', ')})`;
  });
  return { sql: `with ${parts.join(', ')} select 1`, params };
}

const isJson = (p: { type?: string; columnTypes?: string[] }) => /^json/i.test(p.type ?? '') || /^json/i.test(p.columnTypes?.[0] ?? '');
