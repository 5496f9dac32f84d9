import type { EventType } from '@clientele/contracts';

/** What fields were and became. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** Something that happened to an aggregate; becomes one outbox row and one CloudEvent. */
export interface DomainEvent<T = unknown> {
  readonly type: EventType;
  /** The aggregate id: the CloudEvent `subject`, and the unit of ordering. */
  readonly subject: string;
  readonly data: T;
  /**
   * For the audit trail only, never published: the target's name and what
   * changed from what (values `data` leaves out, such as old values and admin
   * notes, which only the client's parents may read). Never a secret.
   */
  readonly audit?: { name?: string; changes?: FieldChanges };
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
