import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { AuditActorType, AuditEventResponse, Page } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { decodeCursor, encodeCursor, fetchRowsFor, keysetPage } from '../../shared/cursor';
import { queryPrepared } from '../../shared/prepared';
import { isoUtc } from '../../shared/sql-time';
import { ListAuditEventsQuery } from './list-audit-events.query';

const SORT = '-occurredAt';
/** What one reply may carry, under NATS's default 1 MB payload. */
const PAGE_BYTES = 768 * 1024;
/** As deep as the access rule walks (ADR 0010). */
const MAX_TIERS = 16;

interface Row {
  sort_key: string;
  id: string;
  occurred_at: string;
  action: string;
  actor_type: AuditActorType;
  actor_id: string | null;
  actor_email: string | null;
  target_type: string;
  target_id: string;
  target_name: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}

/**
 * The trail an account may read: its own and that of every client below it
 * (ADR 0010), newest first. Admin notes are the direct parent's: in every
 * other trail they are cut from `changes`, and an entry that changed nothing
 * else is left out.
 */
@QueryHandler(ListAuditEventsQuery)
export class ListAuditEventsHandler implements IQueryHandler<ListAuditEventsQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, filter }: ListAuditEventsQuery): Promise<Page<AuditEventResponse>> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const limit = filter.limit ?? 50;
    const params: unknown[] = [];
    let scope: string;
    if (filter.clientId !== undefined && filter.clientId !== accountId) {
      // One client's trail: 404 unless it is below the caller.
      const reach = await this.access.reachOf(caller, filter.clientId);
      scope = `(select ?::uuid as id, ${reach === 'parent'} as notes)`;
      params.push(filter.clientId);
    } else if (filter.clientId !== undefined) {
      scope = `(select ?::uuid as id, false as notes)`;
      params.push(accountId);
    } else {
      // The caller's account and every account below it through active relationships, each once.
      scope = `(with recursive reach (id, depth) as (
                  select ?::uuid, 0
                  union
                  select r.client_id, reach.depth + 1 from accounts.relationship r join reach on r.parent_id = reach.id
                   where r.status = 'active' and reach.depth < ${MAX_TIERS}
                ) select id, bool_or(depth = 1) as notes from reach group by id)`;
      params.push(accountId);
    }
    const where = [`(s.notes or not (e.changes - 'adminNotes' = '{}'::jsonb and e.changes <> '{}'::jsonb))`];
    const filters: [string, string | undefined][] = [
      ['e.actor_id = ?::uuid', filter.actorId],
      ['e.action = ?', filter.action],
      ['e.occurred_at >= ?::timestamptz', filter.since],
      ['e.occurred_at < ?::timestamptz', filter.until],
    ];
    for (const [condition, value] of filters) {
      if (value === undefined) continue;
      where.push(condition);
      params.push(value);
    }
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor, SORT);
      where.push('(e.occurred_at, e.id) < (?::timestamptz, ?::uuid)');
      params.push(cursor.value, cursor.id);
    }
    const rows = await queryPrepared<Row>(
      this.em,
      `select e.occurred_at::text as sort_key, e.id, e.occurred_at, e.action, e.actor_type, e.actor_id, e.actor_email,
              e.target_type, e.target_id, e.target_name,
              case when s.notes then e.changes else e.changes - 'adminNotes' end as changes,
              e.ip, e.user_agent, e.request_id
         from accounts.audit_event e join ${scope} s on s.id = e.account_id
        where ${where.join(' and ')}
        order by e.occurred_at desc, e.id desc
        limit ${fetchRowsFor(limit)}`,
      params,
    );
    return fitted(keysetPage(rows, limit, SORT, (row) => row.id, toResponse), rows);
  }
}

/**
 * A page stays under NATS's default 1 MB message: one whose entries carry
 * long values (admin notes, from and to) ends early, with a cursor from the
 * last entry kept (always at least one).
 */
function fitted(page: Page<AuditEventResponse>, rows: Row[]): Page<AuditEventResponse> {
  let fit = 0;
  for (let bytes = 0; fit < page.data.length; fit += 1) {
    bytes += Buffer.byteLength(JSON.stringify(page.data[fit])) + 1;
    if (bytes > PAGE_BYTES && fit > 0) break;
  }
  if (fit === page.data.length) return page;
  const last = rows[fit - 1];
  return { data: page.data.slice(0, fit), nextCursor: encodeCursor({ sort: SORT, value: last.sort_key, id: last.id }) };
}

function toResponse(row: Row): AuditEventResponse {
  return {
    id: row.id,
    occurredAt: isoUtc(row.occurred_at),
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id, ...(row.actor_email === null ? {} : { email: row.actor_email }) },
    target: { type: row.target_type, id: row.target_id, ...(row.target_name === null ? {} : { name: row.target_name }) },
    changes: row.changes,
    context: { ip: row.ip, userAgent: row.user_agent, requestId: row.request_id },
  };
}
