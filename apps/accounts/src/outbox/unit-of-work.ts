import { Injectable } from '@nestjs/common';
import { OptimisticLockError } from '@mikro-orm/core';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { CloudEvent } from '@clientele/contracts';
import { eventSubject } from '@clientele/contracts';
import { currentRequestId } from '@clientele/observability';
import type { Aggregate, DomainEvent } from '../domain/aggregate';
import { VersionConflictError } from '../domain/domain-error';
import { newId } from '../domain/ids';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox.relay';
import { EventsSettings } from './events.settings';

/**
 * Runs a change in one transaction and writes the events the aggregates raised
 * into the outbox in that same transaction, so nothing committed is lost
 * between the database and the bus. Wakes the relay after the commit.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly em: EntityManager,
    private readonly relay: OutboxRelay,
    private readonly events: EventsSettings,
  ) {}

  async run<T>(
    work: (em: EntityManager) => Promise<{ result: T; aggregates: Aggregate[] }>,
    onUniqueViolation?: (constraint: string) => Error | undefined,
  ): Promise<T> {
    let result: T;
    try {
      result = await this.em.transactional(async (em) => {
        const outcome = await work(em);
        const now = new Date();
        for (const aggregate of outcome.aggregates) {
          for (const event of aggregate.pullEvents()) em.persist(this.toOutbox(event, now));
        }
        return outcome.result;
      });
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

  private toOutbox(event: DomainEvent, now: Date): OutboxMessage {
    const cloudEvent: CloudEvent = {
      specversion: '1.0',
      id: newId(),
      source: '/accounts',
      type: event.type,
      subject: event.subject,
      time: now.toISOString(),
      datacontenttype: 'application/json',
      data: event.data,
    };
    const row = new OutboxMessage();
    row.eventId = cloudEvent.id;
    row.aggregateId = event.subject;
    row.subject = eventSubject(event.type, this.events.subjectRoot);
    row.event = cloudEvent;
    row.requestId = currentRequestId() ?? null;
    row.createdAt = now;
    row.sentAt = null;
    return row;
  }
}
