import type { EventType } from '@clientele/contracts';

/** Something that happened to an aggregate; becomes one outbox row and one CloudEvent. */
export interface DomainEvent<T = unknown> {
  readonly type: EventType;
  /** The aggregate id: the CloudEvent `subject`, and the unit of ordering. */
  readonly subject: string;
  readonly data: T;
}

/**
 * Collects the events an aggregate raises until the unit of work writes them
 * to the outbox. Lazily initialised: the ORM hydrates entities without
 * running constructors.
 */
export abstract class Aggregate {
  private pending?: DomainEvent[];

  protected raise(event: DomainEvent): void {
    (this.pending ??= []).push(event);
  }

  pullEvents(): DomainEvent[] {
    const events = this.pending ?? [];
    this.pending = [];
    return events;
  }
}
