import { Injectable } from '@nestjs/common';
import { OptimisticLockError } from '@mikro-orm/core';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { CloudEvent } from '@clientele/contracts';
import { eventSubject } from '@clientele/contracts';
import { currentRequestId, currentTraceContext } from '@clientele/observability';
import { AuditTrail, type AuditEntry } from '../audit/audit-trail';
import { entriesOfEvents } from '../audit/event-entries';
import type { Aggregate, DomainEvent } from '../domain/aggregate';
import { VersionConflictError } from '../domain/domain-error';
import { newId } from '../domain/ids';
import { insertStatement } from '../shared/insert-statement';
import { queryPrepared } from '../shared/prepared';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox.relay';
import { EventsSettings } from './events.settings';
import { newEntity } from '../domain/new-entity';

/**
 * Runs a change in one transaction and writes the events the aggregates raised
 * into the outbox in that same transaction, so nothing committed is lost
 * between the database and the bus. Wakes the relay after the commit.
 *
 * The audit trail is written here too, in the same statement as the outbox
 * rows (ADR 0021): one entry per changed thing, derived from the events, so
 * no use case can forget it; changes that raise no event hand their entries
 * in as `audit`.
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
    private readonly trail: AuditTrail,
  ) {}

  async run<T>(
    work: (em: EntityManager) => Promise<{ result: T; aggregates: Aggregate[]; events?: DomainEvent[]; audit?: AuditEntry[] }>,
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
          // Outbox rows and audit entries are only ever inserted: written directly, without change tracking, in one statement.
          const rows = this.recordsOf(events, outcome.audit, now);
          if (rows.length) {
            const { sql, params } = insertStatement(em, rows);
            await queryPrepared(em, sql, params);
          }
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
   * `run` for a change the caller made without a version to match (no
   * If-Match, or none to give): a concurrent change to the same rows, such as
   * the link mint sending the invitation, is retried from a fresh read, up to
   * three times, instead of answered as a version conflict.
   */
  async runRetryingConflicts<T>(
    work: (em: EntityManager) => Promise<{ result: T; aggregates: Aggregate[]; events?: DomainEvent[]; audit?: AuditEntry[] }>,
    onUniqueViolation?: (constraint: string) => Error | undefined,
  ): Promise<T> {
    return retryingConflicts(() => this.run(work, onUniqueViolation));
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
    creation: { result: T; entities: object[]; aggregates: Aggregate[]; audit?: AuditEntry[] },
    onUniqueViolation?: (constraint: string) => Error | undefined,
  ): Promise<T> {
    const now = new Date();
    const events = creation.aggregates.flatMap((aggregate) => aggregate.pullEvents());
    const { sql, params } = insertStatement(this.em, [...creation.entities, ...this.recordsOf(events, creation.audit, now)]);
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

  /** The outbox rows of a command's events and its audit entries: those of its events, then those handed in. */
  private recordsOf(events: DomainEvent[], audit: AuditEntry[] = [], now: Date): object[] {
    const outbox = events.map((event) => newEntity(OutboxMessage, this.toOutbox(event, now)));
    const entries = [...entriesOfEvents(events), ...audit].map((entry) => this.trail.row(entry, now));
    return [...outbox, ...entries];
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

/** `attempt` again after a version conflict, from a fresh read each time, up to `times` in all. */
export async function retryingConflicts<T>(attempt: () => Promise<T>, times = 3): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof VersionConflictError) || n >= times) throw error;
    }
  }
}
