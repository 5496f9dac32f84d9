import { Headers, type Caller } from '@clientele/contracts';
import { currentAuditData, currentRequestHeaders, currentRequestId, runWithAuditData, type RequestHeaders } from '@clientele/observability';

/** Who did something, as the audit trail records it. `system`: the expiry sweep and other service callers. */
export interface AuditActor {
  type: 'user' | 'api-key' | 'operator' | 'system';
  /** The user's or API key's id; null for the operator and the system. */
  id: string | null;
  email?: string;
}

/** Who is acting and from where: what every audit entry written inside the scope says about its cause. */
export type AuditScope = {
  actor: AuditActor;
  /** The client's address as the gateway saw it. */
  ip?: string;
  userAgent?: string;
  requestId?: string;
};

/** Longer than any address; a header this long is not one. */
const MAX_IP = 64;
const MAX_USER_AGENT = 512;

/**
 * Runs `fn` with `scope` as the cause of every audit entry written inside it.
 * Background work that outlives its request (an import's rows) stores the
 * scope it was started in (`currentAuditScope()`) and runs each step in it.
 */
export function runInAuditScope<T>(scope: AuditScope, fn: () => T): T {
  return runWithAuditData(scope, fn);
}

/**
 * The scope audit entries are written in now: one set by `runInAuditScope`;
 * otherwise the request's, read from its headers (the caller the gateway
 * authenticated, and where the request came from) only now that an entry
 * needs it; otherwise the system's (work no caller asked for).
 */
export function currentAuditScope(): AuditScope {
  const set = currentAuditData() as AuditScope | undefined;
  if (set) return set;
  const headers = currentRequestHeaders();
  return headers ? scopeOfRequest(headers) : { actor: { type: 'system', id: null }, requestId: currentRequestId() };
}

/** Who a caller is in the trail. Services act for the system (the expiry sweep); nobody signed in is a user not yet known. */
export function actorOf(caller: Caller): AuditActor {
  switch (caller.kind) {
    case 'user':
      return { type: 'user', id: caller.userId, ...(caller.email ? { email: caller.email } : {}) };
    case 'api-key':
      return { type: 'api-key', id: caller.keyId };
    case 'operator':
      return { type: 'operator', id: null };
    case 'service':
      return { type: 'system', id: null };
    case 'anonymous':
      // Public routes that change something (accepting an invitation, a reset) name their user themselves.
      return { type: 'user', id: null };
  }
}

function scopeOfRequest(headers: RequestHeaders): AuditScope {
  const ip = headers.get(Headers.clientIp) || undefined;
  const userAgent = headers.get(Headers.clientUserAgent) || undefined;
  return {
    actor: actorOf(callerOf(headers.get(Headers.caller))),
    ip: ip && ip.length <= MAX_IP ? ip : undefined,
    userAgent: userAgent?.slice(0, MAX_USER_AGENT),
    requestId: currentRequestId(),
  };
}

function callerOf(raw: string | undefined): Caller {
  if (!raw) return { kind: 'anonymous' };
  try {
    return JSON.parse(raw) as Caller;
  } catch {
    return { kind: 'anonymous' };
  }
}
