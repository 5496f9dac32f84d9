import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CloudEvent } from '@clientele/contracts';

/**
 * At-least-once delivery, exactly-once effect: the event id is recorded in the
 * same transaction as the effect, and the JetStream ack comes after commit.
 */
@Injectable()
export class EventInbox {
  constructor(private readonly em: EntityManager) {}

  /** Runs `effect` unless this event id was handled before; returns whether it ran. */
  async handleOnce(event: CloudEvent, effect: (em: EntityManager) => Promise<void>): Promise<boolean> {
    return this.em.transactional(async (em) => {
      const inserted = await em.execute<{ event_id: string }[]>(
        `insert into notifications.handled_event (event_id, type, subject, occurred_at, handled_at)
         values (?, ?, ?, ?, now()) on conflict (event_id) do nothing returning event_id`,
        [event.id, event.type, event.subject, event.time],
      );
      if (!inserted.length) return false;
      await effect(em);
      return true;
    });
  }
}
