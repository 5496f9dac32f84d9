import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 } from 'uuid';
import { currentTraceContext } from '@clientele/observability';
import { EventInbox } from '../inbox/event-inbox';

/** A queued e-mail as written: what is not set stays null; no `sendAt` means now (the database's clock). */
interface EmailRow {
  kind: 'invitation' | 'reminder' | 'password-reset' | 'password-setup' | 'relationship-request';
  clientId?: string;
  invitationId?: string;
  userId?: string;
  requestId?: string;
  recipient?: string;
  locale?: string;
  sendAt?: Date;
  /** The trace the e-mail was queued in (the event's, ADR 0018), for the send to continue. */
  traceparent: string | null;
}

interface DeadlineRow {
  kind: 'invitation-expiry' | 'invitation-reminder';
  invitationId: string;
  clientId: string;
  dueAt: Date;
}

/**
 * Writes to the e-mail queue and the deadlines, inside the caller's
 * transaction. Handling a batch of events, the rows of all its events go to
 * the database together, one statement per table (`EventInbox.write`).
 */
@Injectable()
export class EmailQueue {
  constructor(private readonly inbox: EventInbox) {}

  async enqueueInvitation(
    em: EntityManager,
    e: { kind: 'invitation' | 'reminder'; clientId: string; invitationId: string; sendAt: Date | string; recipient?: string; locale?: string },
  ): Promise<void> {
    await this.inbox.write(em, insertEmails, { ...e, sendAt: new Date(e.sendAt), traceparent: traceparent() });
  }

  /** A link to set a password: for a user known by id (after creation) or an address someone typed (a reset). */
  async enqueuePasswordLink(
    em: EntityManager,
    e: { kind: 'password-reset' | 'password-setup'; userId?: string; clientId?: string; recipient?: string },
  ): Promise<void> {
    await this.inbox.write(em, insertEmails, { ...e, traceparent: traceparent() });
  }

  /** An invitation to connect, to an admin of an existing account. */
  async enqueueConnect(em: EntityManager, e: { requestId: string; recipient: string }): Promise<void> {
    await this.inbox.write(em, insertEmails, { kind: 'relationship-request', ...e, traceparent: traceparent() });
  }

  /** Nothing more goes out for this invitation, and its deadlines are closed. */
  async closeInvitation(em: EntityManager, by: { invitationId?: string; clientId?: string }, reason: string): Promise<void> {
    const [column, value] = by.invitationId ? ['invitation_id', by.invitationId] : ['client_id', by.clientId];
    // E-mails and deadlines the batch queued so far are written first: this closes them too.
    await this.inbox.flush(em);
    // One statement, one round trip: this runs for every expiry, revocation and activation.
    // Deadlines a sweep has claimed are left to it (it closes them; an e-mail it queues for a
    // closed invitation is cancelled at send time): taking their locks here would deadlock with it.
    await em.execute(
      `with cancelled as (
         update notifications.email set status = 'cancelled', last_error = ?, updated_at = now()
          where ${column} = ? and status = 'queued' and kind in ('invitation', 'reminder'))
       update notifications.deadline set done_at = now()
        where ${column} = ? and done_at is null and (claimed_until is null or claimed_until < now())`,
      [reason, value, value],
    );
  }

  /** The expiry deadline, and the reminder one before it; a resend moves both. */
  async setDeadlines(em: EntityManager, d: { invitationId: string; clientId: string; sentAt: Date; expiresAt: Date; reminderBeforeMs: number }): Promise<void> {
    const rows: [DeadlineRow['kind'], Date][] = [['invitation-expiry', d.expiresAt]];
    const reminderAt = new Date(d.expiresAt.getTime() - d.reminderBeforeMs);
    if (d.reminderBeforeMs > 0 && reminderAt > d.sentAt) rows.push(['invitation-reminder', reminderAt]);
    for (const [kind, dueAt] of rows) await this.inbox.write(em, upsertDeadlines, { kind, invitationId: d.invitationId, clientId: d.clientId, dueAt });
  }
}

/** E-mails queued, one statement for them all; each carries the trace it was queued in. */
const insertEmails = async (em: EntityManager, rows: EmailRow[]): Promise<void> => {
  await em.execute(
    `insert into notifications.email
       (id, kind, client_id, invitation_id, user_id, request_id, recipient, locale, status, send_at, traceparent, created_at, updated_at)
     values ${rows.map(() => `(?, ?, ?, ?, ?, ?, ?, ?, 'queued', coalesce(?::timestamptz, now()), ?, now(), now())`).join(', ')}`,
    rows.flatMap((e) => [
      v7(), e.kind, e.clientId ?? null, e.invitationId ?? null, e.userId ?? null, e.requestId ?? null,
      e.recipient ?? null, e.locale ?? null, e.sendAt ?? null, e.traceparent,
    ]),
  );
};

/**
 * Deadlines set (or moved, for a resend), one statement for them all. A
 * statement may not update one row twice: of one invitation's deadline of one
 * kind, the last set wins, as it would one statement after another.
 */
const upsertDeadlines = async (em: EntityManager, rows: DeadlineRow[]): Promise<void> => {
  const last = [...new Map(rows.map((d) => [`${d.kind} ${d.invitationId}`, d])).values()];
  await em.execute(
    `insert into notifications.deadline (id, kind, invitation_id, client_id, due_at, created_at)
     values ${last.map(() => '(?, ?, ?, ?, ?, now())').join(', ')}
     on conflict (kind, invitation_id) do update set due_at = excluded.due_at, done_at = null, claimed_until = null`,
    last.flatMap((d) => [v7(), d.kind, d.invitationId, d.clientId, d.dueAt]),
  );
};

/** The trace of the event being handled, when it has one. */
function traceparent(): string | null {
  return currentTraceContext()?.traceparent ?? null;
}
