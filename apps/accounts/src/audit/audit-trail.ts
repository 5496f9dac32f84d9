import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { currentRequestId } from '@clientele/observability';
import { newId } from '../domain/ids';
import { insertStatement } from '../shared/insert-statement';
import { queryPrepared } from '../shared/prepared';
import { AuditEvent, type AuditChanges } from './audit-event.entity';
import { currentAuditScope, type AuditActor } from './audit-scope';
import { newEntity } from '../domain/new-entity';

export type { AuditChanges } from './audit-event.entity';

/** The longest user agent kept: enough to tell clients apart, bounded whatever a client sends. */
export const USER_AGENT_MAX = 512;

/** What happened, to what, in whose trail; who and from where come from the current audit scope. */
export interface AuditEntry {
  /** Whose trail: the account changed, or the acting account for its own things (keys, plans, sign-ins). */
  accountId: string;
  /** `client.created`, `api-key.revoked`, `auth.signed-in`, ... */
  action: string;
  target: { type: string; id: string; name?: string };
  /** Only what changed, old and new values; never a secret (no password, token, key or hash). */
  changes?: AuditChanges;
  /** Someone other than the scope's actor: a sign-in's user, who was anonymous until the password matched. */
  actor?: AuditActor;
}

/**
 * Writes audit entries. `record` is for changes that raise no domain event
 * (sign-ins, API keys, plans); the unit of work writes the entries of
 * changes that do, from their events, with the outbox rows.
 */
@Injectable()
export class AuditTrail {
  /** Writes one entry with the change `em` is making: in its transaction when it is in one. */
  async record(em: EntityManager, entry: AuditEntry): Promise<void> {
    const { sql, params } = insertStatement(em, [this.row(entry, new Date())]);
    await queryPrepared(em, sql, params);
  }

  /**
   * A failed sign-in, in the trail of the account whose user has `email`
   * (by whoever tried it: nobody is known, so the actor is that e-mail with
   * no id), and nothing when no user has it. One statement either way, so the
   * refusal takes as long for an unknown e-mail as for a known one.
   */
  async recordFailedSignIn(em: EntityManager, email: string): Promise<void> {
    const { ip, userAgent, requestId } = origin();
    await queryPrepared(
      em,
      `insert into accounts.audit_event (id, account_id, occurred_at, action, actor_type, actor_id, actor_email,
                                         target_type, target_id, target_name, changes, ip, user_agent, request_id)
       select ?, u.account_id, ?, 'auth.sign-in-failed', 'user', null, u.email, 'user', u.id, u.email, '{}', ?, ?, ?
         from accounts."user" u where lower(u.email) = lower(?) limit 1`,
      [newId(), new Date(), ip, userAgent, requestId, email],
    );
  }

  /** An entry as the row to insert, with the actor and context of the current audit scope. */
  row(entry: AuditEntry, now: Date): AuditEvent {
    const scope = currentAuditScope();
    const actor = entry.actor ?? scope.actor;
    return newEntity(AuditEvent, {
      id: newId(),
      accountId: entry.accountId,
      occurredAt: now,
      action: entry.action,
      actorType: actor.type,
      actorId: actor.id,
      actorEmail: actor.email ?? null,
      targetType: entry.target.type,
      targetId: entry.target.id,
      targetName: entry.target.name ?? null,
      changes: entry.changes ?? {},
      ...origin(scope),
    } satisfies AuditEvent);
  }
}

/** Where the work of an audit scope comes from, as an entry's columns. */
function origin(scope = currentAuditScope()): Pick<AuditEvent, 'ip' | 'userAgent' | 'requestId'> {
  return {
    ip: scope.ip ?? null,
    userAgent: scope.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
    requestId: scope.requestId ?? currentRequestId() ?? null,
  };
}
