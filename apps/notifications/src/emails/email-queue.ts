import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 } from 'uuid';
import { currentTraceContext } from '@clientele/observability';

/** Writes to the e-mail queue and the deadlines, inside the caller's transaction. */
@Injectable()
export class EmailQueue {
  async enqueueInvitation(
    em: EntityManager,
    e: { kind: 'invitation' | 'reminder'; clientId: string; invitationId: string; sendAt: Date | string; recipient?: string; locale?: string },
  ): Promise<void> {
    await em.execute(
      `insert into notifications.email (id, kind, client_id, invitation_id, recipient, locale, status, send_at, traceparent, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 'queued', ?, ?, now(), now())`,
      [v7(), e.kind, e.clientId, e.invitationId, e.recipient ?? null, e.locale ?? null, new Date(e.sendAt), traceparent()],
    );
  }

  /** A link to set a password: for a user known by id (after creation) or an address someone typed (a reset). */
  async enqueuePasswordLink(
    em: EntityManager,
    e: { kind: 'password-reset' | 'password-setup'; userId?: string; clientId?: string; recipient?: string },
  ): Promise<void> {
    await em.execute(
      `insert into notifications.email (id, kind, client_id, user_id, recipient, status, send_at, traceparent, created_at, updated_at)
       values (?, ?, ?, ?, ?, 'queued', now(), ?, now(), now())`,
      [v7(), e.kind, e.clientId ?? null, e.userId ?? null, e.recipient ?? null, traceparent()],
    );
  }

  /** An invitation to connect, to an admin of an existing account. */
  async enqueueConnect(em: EntityManager, e: { requestId: string; recipient: string }): Promise<void> {
    await em.execute(
      `insert into notifications.email (id, kind, request_id, recipient, status, send_at, traceparent, created_at, updated_at)
       values (?, 'relationship-request', ?, ?, 'queued', now(), ?, now(), now())`,
      [v7(), e.requestId, e.recipient, traceparent()],
    );
  }

  /** Nothing more goes out for this invitation, and its deadlines are closed. */
  async closeInvitation(em: EntityManager, by: { invitationId?: string; clientId?: string }, reason: string): Promise<void> {
    const [column, value] = by.invitationId ? ['invitation_id', by.invitationId] : ['client_id', by.clientId];
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
    const rows: [string, Date][] = [['invitation-expiry', d.expiresAt]];
    const reminderAt = new Date(d.expiresAt.getTime() - d.reminderBeforeMs);
    if (d.reminderBeforeMs > 0 && reminderAt > d.sentAt) rows.push(['invitation-reminder', reminderAt]);
    for (const [kind, due] of rows) {
      await em.execute(
        `insert into notifications.deadline (id, kind, invitation_id, client_id, due_at, created_at) values (?, ?, ?, ?, ?, now())
         on conflict (kind, invitation_id) do update set due_at = excluded.due_at, done_at = null, claimed_until = null`,
        [v7(), kind, d.invitationId, d.clientId, due],
      );
    }
  }
}

/** The trace the e-mail is queued in (the event's, ADR 0018), for the send to continue; null when none. */
function traceparent(): string | null {
  return currentTraceContext()?.traceparent ?? null;
}
