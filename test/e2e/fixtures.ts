import { migrateAccounts } from '../../apps/accounts/src/migrate';
import { migrateNotifications } from '../../apps/notifications/src/migrate';
import { call, waitFor, type Stack } from '@clientele/testing';

export const migrations = [migrateAccounts, migrateNotifications];

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export function partnerBody(overrides: Record<string, unknown> = {}) {
  const id = unique();
  return {
    type: 'distributor',
    accountName: `Partner ${id}`,
    companyName: `Partner ${id} S.L.`,
    address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
    owner: { firstName: 'Ana', lastName: 'Ruiz', email: `owner-${id}@partner.test`, password: 'correct horse battery staple' },
    ...overrides,
  };
}

export function clientBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  const id = unique();
  return {
    accountName: `Client ${id}`,
    companyName: `Client ${id} S.A.`,
    address: { country: 'IT', region: 'Lazio', city: 'Roma' },
    owner: { firstName: 'Carla', lastName: 'Bianchi', email: `owner-${id}@client.test` },
    ...overrides,
  };
}

/** Creates a partner through the operator route and signs its owner in. */
export async function partnerWithToken(stack: Stack, overrides: Record<string, unknown> = {}) {
  const body = partnerBody(overrides);
  const created = await call(stack.baseUrl, 'POST', '/v1/partners', { token: stack.operatorToken, body });
  if (created.status !== 201) throw new Error(`partner not created: ${created.status} ${created.text}`);
  const signIn = await call(stack.baseUrl, 'POST', '/v1/auth/token', {
    body: { email: body.owner.email, password: body.owner.password },
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${signIn.text}`);
  return { partner: created.body, token: signIn.body.accessToken as string, body };
}

/**
 * Counts and versions of everything a call could change in accounts, and the
 * events it would raise (outbox rows are written with the change): equal
 * before and after a call means the call changed nothing. notifications'
 * e-mail rows follow events asynchronously, so they are not in it.
 */
export async function fingerprint(stack: Stack): Promise<string> {
  const [row] = await stack.db.query<Record<string, unknown>>(`
    select (select json_agg(json_build_object('n', n, 'v', v)) from (
              select count(*) n, coalesce(sum(version), 0) v from accounts.account union all
              select count(*), count(ended_at) from accounts.relationship union all
              select count(*), coalesce(sum(version), 0) from accounts."user" union all
              select count(*), coalesce(sum(version), 0) from accounts.invitation union all
              select count(*), coalesce(sum(version), 0) from accounts.service_plan union all
              select count(*), coalesce(sum(version), 0) from accounts.license union all
              select count(*), count(revoked_at) from accounts.api_key union all
              select count(*), count(*) filter (where status <> 'pending') from accounts.relationship_request union all
              select count(*), 0 from accounts.outbox union all
              select count(*), 0 from accounts.client_import) t) as f`);
  return JSON.stringify(row.f);
}

/**
 * Waits out what earlier calls set going (events to relay, e-mails whose links
 * accounts mints, imports being worked on), until the fingerprint holds still for `quietMs`.
 */
export function settle(stack: Stack, quietMs = 150): Promise<unknown> {
  return waitFor(async () => {
    const [{ n }] = await stack.db.query<{ n: string }>(`
      select (select count(*) from accounts.outbox where sent_at is null)
           + (select count(*) from accounts.client_import where status <> 'done')
           + (select count(*) from notifications.email where status in ('queued', 'sending') and send_at <= now()) as n`);
    if (n !== '0') return false;
    const before = await fingerprint(stack);
    await new Promise((r) => setTimeout(r, quietMs));
    return before === (await fingerprint(stack));
  }, { what: 'the stack to settle' });
}
