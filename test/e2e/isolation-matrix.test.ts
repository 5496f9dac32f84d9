import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { call, invitationTokenOf, startStack, type Stack } from '@clientele/testing';
import { GATEWAY_CONTROLLERS } from '../../apps/gateway/src/gateway.module';
import { CONSOLE_DIR } from '../../apps/gateway/src/console/console.controller';
import { PUBLIC_DIR } from '../../apps/gateway/src/http/assets';
import { clientBody, fingerprint as fixtureFingerprint, migrations, partnerWithToken, settle as settleStack } from './fixtures';

jest.setTimeout(180_000);

/**
 * Every route of the gateway against every kind of caller. The channel:
 * operator → ancestor (a distributor) → parent (a reseller) → client (a
 * customer, whose owner is `clientUser`); `stranger` is another partner.
 * The resource in each row belongs to `parent` (its client, its plan, its
 * key): a stranger gets 404, an ancestor 403 on changes, no token 401. Every
 * refused call must leave the databases as they were, and the audit trail
 * too (but for a failed sign-in of a known e-mail); every change answered
 * 2xx leaves exactly one entry, by the caller, of the row's `audit` action.
 */
type Actor = 'operator' | 'parent' | 'ancestor' | 'stranger' | 'clientUser' | 'none';
const ACTORS: Actor[] = ['none', 'operator', 'stranger', 'clientUser', 'ancestor', 'parent'];

interface Request {
  path: string;
  /** A function gives every caller a body of its own (e.g. a new e-mail each time). */
  body?: unknown;
  headers?: Record<string, string>;
}
interface Row {
  /** What to call: built before the actors run (fresh resources where the parent's call changes them). */
  request: (world: World) => Promise<Request>;
  expect: Record<Actor, number>;
  /** The action of the audit entry a 2xx on a changing route leaves; null where a 2xx changes nothing. */
  audit?: string | null;
  /** A 2xx sets work going in the background (an import's rows): it is waited out before the next caller. */
  background?: boolean;
}

interface World {
  stack: Stack;
  tokens: Record<Exclude<Actor, 'none'>, string>;
  parentId: string;
  clientId: string;
  planId: string;
  licenseId: string;
  /** An import of the parent's. */
  importId: string;
  strangerEmail: string;
  /** A client of the parent with a pending invitation, made for one row. */
  freshClient(): Promise<string>;
}

// Expectations by kind of route.
const publicRoute = (status: number): Record<Actor, number> =>
  ({ none: status, operator: status, stranger: status, clientUser: status, ancestor: status, parent: status });
const operatorOnly = (status: number): Record<Actor, number> =>
  ({ none: 401, operator: status, stranger: 401, clientUser: 401, ancestor: 401, parent: 401 });
/** The parent's client, read: ancestors may see it. */
const clientRead: Record<Actor, number> = { none: 401, operator: 401, stranger: 404, clientUser: 404, ancestor: 200, parent: 200 };
/** The parent's client, changed: `ok` for the parent. */
const clientChange = (ok: number): Record<Actor, number> =>
  ({ none: 401, operator: 401, stranger: 404, clientUser: 404, ancestor: 403, parent: ok });
/** Something only its own account sees (a plan, a key, a request it sent). */
const ownOnly = (ok: number): Record<Actor, number> =>
  ({ none: 401, operator: 401, stranger: 404, clientUser: 404, ancestor: 404, parent: ok });
/** The caller's own scope: every account caller gets its own. */
const ownScope = (ok: number, overrides: Partial<Record<Actor, number>> = {}): Record<Actor, number> =>
  ({ none: 401, operator: 401, stranger: ok, clientUser: ok, ancestor: ok, parent: ok, ...overrides });

const UNKNOWN_TOKEN = 'x'.repeat(43);
const license = { planId: '', units: 2, startDate: '2026-12-01' };

const MATRIX: Record<string, Row> = {
  'POST /v1/auth/token': { request: async () => ({ path: '/v1/auth/token', body: { email: 'nobody@example.com', password: 'not the password' } }), expect: publicRoute(401) },
  'POST /v1/auth/password-reset': { request: async () => ({ path: '/v1/auth/password-reset', body: { email: 'nobody@example.com' } }), expect: publicRoute(202), audit: null },
  'POST /v1/auth/password-reset/:token': { request: async () => ({ path: `/v1/auth/password-reset/${UNKNOWN_TOKEN}`, body: { password: 'a long enough new password' } }), expect: publicRoute(404) },
  'GET /v1/invitations/:token': { request: async () => ({ path: `/v1/invitations/${UNKNOWN_TOKEN}` }), expect: publicRoute(404) },
  'POST /v1/invitations/:token/accept': { request: async () => ({ path: `/v1/invitations/${UNKNOWN_TOKEN}/accept`, body: { password: 'a long enough new password' } }), expect: publicRoute(404) },
  'GET /invitations/:token': { request: async () => ({ path: `/invitations/${UNKNOWN_TOKEN}` }), expect: publicRoute(200) },
  'GET /password-reset/:token': { request: async () => ({ path: `/password-reset/${UNKNOWN_TOKEN}` }), expect: publicRoute(200) },
  'GET /relationship-requests/:token': { request: async () => ({ path: `/relationship-requests/${UNKNOWN_TOKEN}` }), expect: publicRoute(200) },
  'GET /assets/invitation.js': { request: async () => ({ path: '/assets/invitation.js' }), expect: publicRoute(200) },
  'GET /assets/password-reset.js': { request: async () => ({ path: '/assets/password-reset.js' }), expect: publicRoute(200) },
  'GET /assets/connect.js': { request: async () => ({ path: '/assets/connect.js' }), expect: publicRoute(200) },
  'GET /assets/onboarding.css': { request: async () => ({ path: '/assets/onboarding.css' }), expect: publicRoute(200) },
  'GET /console': { request: async () => ({ path: '/console' }), expect: publicRoute(200) },
  'GET /console/*': { request: async () => ({ path: '/console/clients/some-client' }), expect: publicRoute(200) },
  'GET /console/assets/:file': { request: async () => ({ path: `/console/assets/${consoleScript()}` }), expect: publicRoute(200) },
  'GET /docs/asyncapi.json': { request: async () => ({ path: '/docs/asyncapi.json' }), expect: publicRoute(200) },

  'POST /v1/partners': { request: async () => ({ path: '/v1/partners', body: () => clientBody({ type: 'group', invitation: { send: 'none' } }) }), expect: operatorOnly(201), audit: 'client.created' },
  'GET /v1/partners': { request: async () => ({ path: '/v1/partners' }), expect: operatorOnly(200) },

  'POST /v1/clients': { request: async () => ({ path: '/v1/clients', body: () => clientBody({ invitation: { send: 'none' } }) }), expect: ownScope(201, { clientUser: 403 }), audit: 'client.created' },
  'GET /v1/clients': { request: async () => ({ path: '/v1/clients' }), expect: ownScope(200) },
  'GET /v1/clients/:id': { request: async (w) => ({ path: `/v1/clients/${w.clientId}` }), expect: clientRead },
  'PATCH /v1/clients/:id': { request: async (w) => ({ path: `/v1/clients/${w.clientId}`, body: { companyName: 'Renamed S.p.A.' } }), expect: clientChange(200), audit: 'client.updated' },
  'POST /v1/clients/:id/deactivate': { request: async (w) => ({ path: `/v1/clients/${await w.freshClient()}/deactivate` }), expect: clientChange(200), audit: 'client.deactivated' },
  'POST /v1/clients/:id/activate': {
    request: async (w) => {
      const id = await w.freshClient();
      await call(w.stack.baseUrl, 'POST', `/v1/clients/${id}/deactivate`, { token: w.tokens.parent });
      return { path: `/v1/clients/${id}/activate` };
    },
    expect: clientChange(200),
    audit: 'client.activated',
  },
  'DELETE /v1/clients/:id/relationship': { request: async (w) => ({ path: `/v1/clients/${await w.freshClient()}/relationship` }), expect: clientChange(204), audit: 'relationship.ended' },
  'POST /v1/clients/:id/invitation/resend': { request: async (w) => ({ path: `/v1/clients/${await w.freshClient()}/invitation/resend` }), expect: clientChange(202), audit: 'owner.invitation-resent' },
  'DELETE /v1/clients/:id/invitation': { request: async (w) => ({ path: `/v1/clients/${await w.freshClient()}/invitation` }), expect: clientChange(204), audit: 'owner.invitation-revoked' },
  'GET /v1/clients/:id/emails': { request: async (w) => ({ path: `/v1/clients/${w.clientId}/emails` }), expect: clientRead },
  'GET /v1/clients/:clientId/licenses': { request: async (w) => ({ path: `/v1/clients/${w.clientId}/licenses` }), expect: clientRead },
  'POST /v1/clients/:clientId/licenses': { request: async (w) => ({ path: `/v1/clients/${w.clientId}/licenses`, body: { ...license, planId: w.planId } }), expect: clientChange(201), audit: 'license.assigned' },
  'PATCH /v1/clients/:clientId/licenses/:licenseId': { request: async (w) => ({ path: `/v1/clients/${w.clientId}/licenses/${w.licenseId}`, body: { units: 7 } }), expect: clientChange(200), audit: 'license.changed' },
  'DELETE /v1/clients/:clientId/licenses/:licenseId': {
    request: async (w) => {
      const created = await call(w.stack.baseUrl, 'POST', `/v1/clients/${w.clientId}/licenses`, { token: w.tokens.parent, body: { ...license, planId: w.planId } });
      return { path: `/v1/clients/${w.clientId}/licenses/${created.body.id}` };
    },
    expect: clientChange(204),
    audit: 'license.ended',
  },

  'GET /v1/account': { request: async () => ({ path: '/v1/account' }), expect: ownScope(200) },
  'PATCH /v1/account': { request: async () => ({ path: '/v1/account', body: { phone: '+34600000000' } }), expect: ownScope(200), audit: 'client.updated' },
  // Each caller's own client form; a customer has no clients, so none to set.
  'GET /v1/account/client-form': { request: async () => ({ path: '/v1/account/client-form' }), expect: ownScope(200) },
  'PUT /v1/account/client-form': {
    request: async () => ({ path: '/v1/account/client-form', body: { required: [], defaults: { currency: 'USD' } } }),
    expect: ownScope(200, { clientUser: 403 }),
    audit: 'client-form.updated',
  },

  'GET /v1/service-plans': { request: async () => ({ path: '/v1/service-plans' }), expect: ownScope(200) },
  'POST /v1/service-plans': { request: async () => ({ path: '/v1/service-plans', body: { name: `Plan ${Math.random()}`, product: 'P', unitType: 'user' } }), expect: ownScope(201), audit: 'service-plan.created' },
  'GET /v1/service-plans/:id': { request: async (w) => ({ path: `/v1/service-plans/${w.planId}` }), expect: ownOnly(200) },
  'PATCH /v1/service-plans/:id': { request: async (w) => ({ path: `/v1/service-plans/${w.planId}`, body: { product: 'Renamed product' } }), expect: ownOnly(200), audit: 'service-plan.updated' },

  'POST /v1/api-keys': { request: async () => ({ path: '/v1/api-keys', body: { name: 'matrix' } }), expect: ownScope(201), audit: 'api-key.created' },
  'GET /v1/api-keys': { request: async () => ({ path: '/v1/api-keys' }), expect: ownScope(200) },
  'DELETE /v1/api-keys/:id': {
    request: async (w) => {
      const created = await call(w.stack.baseUrl, 'POST', '/v1/api-keys', { token: w.tokens.parent, body: { name: 'to revoke' } });
      return { path: `/v1/api-keys/${created.body.id}` };
    },
    expect: ownOnly(204),
    audit: 'api-key.revoked',
  },

  // Each account its own imports; a row that fails its checks keeps the matrix's clients as they are.
  'POST /v1/client-imports': {
    request: async () => ({ path: '/v1/client-imports', body: { rows: [{ accountName: 'matrix' }] } }),
    expect: ownScope(202, { clientUser: 403 }),
    audit: 'client-import.created',
    background: true,
  },
  'GET /v1/client-imports': { request: async () => ({ path: '/v1/client-imports' }), expect: ownScope(200) },
  'GET /v1/client-imports/template.csv': { request: async () => ({ path: '/v1/client-imports/template.csv' }), expect: ownScope(200) },
  'GET /v1/client-imports/:id': { request: async (w) => ({ path: `/v1/client-imports/${w.importId}` }), expect: ownOnly(200) },
  'GET /v1/client-imports/:id/rows': { request: async (w) => ({ path: `/v1/client-imports/${w.importId}/rows` }), expect: ownOnly(200) },

  // A client's trail: its parent and the accounts above read it, and so do its own users (without admin notes).
  'GET /v1/audit-events': {
    request: async (w) => ({ path: `/v1/audit-events?clientId=${w.clientId}` }),
    expect: { none: 401, operator: 401, stranger: 404, clientUser: 200, ancestor: 200, parent: 200 },
  },

  'POST /v1/relationship-requests': { request: async (w) => ({ path: '/v1/relationship-requests', body: { email: w.strangerEmail } }), expect: ownScope(201, { stranger: 409, clientUser: 403 }), audit: 'relationship.requested' }, // the stranger is asked to invite itself
  'GET /v1/relationship-requests': { request: async () => ({ path: '/v1/relationship-requests' }), expect: ownScope(200) },
  'POST /v1/relationship-requests/:token/accept': { request: async () => ({ path: `/v1/relationship-requests/${UNKNOWN_TOKEN}/accept` }), expect: ownScope(404) },
  'POST /v1/relationship-requests/:token/decline': { request: async () => ({ path: `/v1/relationship-requests/${UNKNOWN_TOKEN}/decline` }), expect: ownScope(404) },
  'DELETE /v1/relationship-requests/:id': {
    request: async (w) => {
      const created = await call(w.stack.baseUrl, 'POST', '/v1/relationship-requests', { token: w.tokens.parent, body: { email: w.strangerEmail } });
      return { path: `/v1/relationship-requests/${created.body.id}` };
    },
    expect: ownOnly(204),
    audit: 'relationship-request.cancelled',
  },
};

/** The console's script as `npm run build` named it (a content hash in the name). */
function consoleScript(): string {
  if (!CONSOLE_DIR) throw new Error('dist/console is missing: run npm run build');
  const script = readdirSync(join(CONSOLE_DIR, 'assets')).find((file) => file.endsWith('.js'));
  if (!script) throw new Error('dist/console has no script: run npm run build');
  return script;
}

/** Every route of the gateway, as `METHOD /path/:param`: Nest's, and the files served under /assets/. */
function gatewayRoutes(): string[] {
  const routes: string[] = readdirSync(PUBLIC_DIR).map((file) => `GET /assets/${file}`);
  for (const controller of GATEWAY_CONTROLLERS) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      if (name === 'constructor') continue;
      const handler: unknown = (controller.prototype as unknown as Record<string, unknown>)[name];
      const path: unknown = typeof handler === 'function' ? Reflect.getMetadata(PATH_METADATA, handler) : undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler as object) as RequestMethod];
      const full = `/${[base, String(path)].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
      routes.push(`${method} ${full}`);
    }
  }
  return routes.sort();
}

describe('isolation matrix: every route × every kind of caller', () => {
  let stack: Stack;
  let world: World;

  const fingerprint = () => fixtureFingerprint(stack);
  /** What a call wrote to the audit trail. The system's entries (an invitation e-mail going out after a resend) follow later, by the bus. */
  const auditEntriesOf = (requestId: string) =>
    stack.db.query<{ action: string; actor_type: string; actor_id: string | null }>(
      `select action, actor_type, actor_id from accounts.audit_event where request_id = $1 and actor_type <> 'system' order by occurred_at, id`,
      [requestId],
    );
  /** Who the trail says each kind of caller is: a user by the id in its access token, the operator by no id. */
  const actorIdOf = (actor: Actor) =>
    actor === 'operator' ? 'operator:null' : actor === 'none' ? 'nobody' : `user:${JSON.parse(Buffer.from(world.tokens[actor].split('.')[1], 'base64url').toString()).sub}`;
  const settle = () => settleStack(stack);

  beforeAll(async () => {
    stack = await startStack({ migrations });
    const ancestor = await partnerWithToken(stack);
    const stranger = await partnerWithToken(stack);
    // The parent: a reseller below the ancestor, its owner with a password.
    const parentBody = clientBody({ type: 'reseller', owner: { firstName: 'Rita', lastName: 'Sel', email: `reseller-${Date.now()}@matrix.test`, password: 'reseller owner passphrase' } });
    const parent = await call(stack.baseUrl, 'POST', '/v1/clients', { token: ancestor.token, body: parentBody });
    if (parent.status !== 201) throw new Error(`parent: ${parent.status} ${parent.text}`);
    const parentToken = (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: parentBody.owner.email, password: parentBody.owner.password } })).body.accessToken;
    // The client, whose owner accepts the invitation and becomes clientUser.
    const client = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parentToken, body: clientBody() });
    if (client.status !== 201) throw new Error(`client: ${client.status} ${client.text}`);
    const ownerEmail: string = client.body.owner.email;
    const link = invitationTokenOf(await stack.smtp.waitForMessage((m) => JSON.stringify(m.to ?? '').includes(ownerEmail), 'the invitation'));
    const accepted = await call(stack.baseUrl, 'POST', `/v1/invitations/${link}/accept`, { body: { password: 'client owner passphrase' } });
    const plan = await call(stack.baseUrl, 'POST', '/v1/service-plans', { token: parentToken, body: { name: 'Matrix plan', product: 'P', unitType: 'user' } });
    const lic = await call(stack.baseUrl, 'POST', `/v1/clients/${client.body.id}/licenses`, { token: parentToken, body: { ...license, planId: plan.body.id } });
    const imported = await call(stack.baseUrl, 'POST', '/v1/client-imports', { token: parentToken, body: { rows: [clientBody({ invitation: { send: 'none' } })] } });
    if (imported.status !== 202) throw new Error(`import: ${imported.status} ${imported.text}`);
    world = {
      stack,
      tokens: { operator: stack.operatorToken, parent: parentToken, ancestor: ancestor.token, stranger: stranger.token, clientUser: accepted.body.accessToken },
      parentId: parent.body.id,
      clientId: client.body.id,
      planId: plan.body.id,
      licenseId: lic.body.id,
      importId: imported.body.id,
      strangerEmail: stranger.body.owner.email,
      async freshClient() {
        const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parentToken, body: clientBody({ invitation: { send: 'scheduled', sendAt: '2099-01-01T00:00:00Z' } }) });
        return created.body.id;
      },
    };
  });
  afterAll(async () => stack?.close());

  it('has a row for every route, and no row for a route that does not exist', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(gatewayRoutes());
  });

  it.each(Object.entries(MATRIX))('%s', async (route, row) => {
    const method = route.split(' ')[0];
    const request = await row.request(world);
    await settle();
    const seen: Partial<Record<Actor, number>> = {};
    const changedOnRefusal: Actor[] = [];
    const auditMismatches: string[] = [];
    for (const actor of ACTORS) {
      const before = await fingerprint();
      // The call's own request id finds the audit entries it wrote.
      const requestId = `matrix-${randomUUID()}`;
      const res = await call(stack.baseUrl, method, request.path, {
        token: actor === 'none' ? undefined : world.tokens[actor],
        body: typeof request.body === 'function' ? (request.body as () => unknown)() : request.body,
        headers: { ...request.headers, 'X-Request-Id': requestId },
      });
      seen[actor] = res.status;
      if (res.status >= 400) {
        if (!(res.headers.get('content-type') ?? '').includes('application/problem+json')) throw new Error(`${route} as ${actor}: ${res.status} without problem details`);
        if ((await fingerprint()) !== before) changedOnRefusal.push(actor);
      }
      const changed = res.status < 300 && !['GET', 'HEAD'].includes(method) && row.audit !== null;
      const expected = changed ? [`${row.audit ?? '(the row names no audit action)'} by ${actorIdOf(actor)}`] : [];
      const written = (await auditEntriesOf(requestId)).map((e) => `${e.action} by ${e.actor_type}:${e.actor_id}`);
      if (JSON.stringify(written) !== JSON.stringify(expected)) auditMismatches.push(`as ${actor} (${res.status}): wrote [${written.join(', ')}], expected [${expected.join(', ')}]`);
      if (row.background && res.status < 300) await settle();
    }
    expect(seen).toEqual(row.expect);
    expect(changedOnRefusal).toEqual([]);
    expect(auditMismatches).toEqual([]);
  });

  it('records a failed sign-in of a known e-mail, and only that, in the trail of its account', async () => {
    const requestId = `matrix-${randomUUID()}`;
    const refused = await call(stack.baseUrl, 'POST', '/v1/auth/token', {
      body: { email: world.strangerEmail, password: 'not the password' },
      headers: { 'X-Request-Id': requestId },
    });
    expect(refused.status).toBe(401);
    const entries = await auditEntriesOf(requestId);
    expect(entries.map((e) => `${e.action} by ${e.actor_type}:${e.actor_id}`)).toEqual(['auth.sign-in-failed by user:null']);
  });

  it("never shows adminNotes to the client's own users", async () => {
    const notes = `private note ${Date.now()}`;
    const patched = await call(stack.baseUrl, 'PATCH', `/v1/clients/${world.clientId}`, { token: world.tokens.parent, body: { adminNotes: notes } });
    expect(patched.body.adminNotes).toBe(notes);
    await settle();
    for (const path of ['/v1/account', `/v1/clients/${world.clientId}`, '/v1/clients', '/v1/relationship-requests', '/v1/service-plans', '/v1/audit-events']) {
      const res = await call(stack.baseUrl, 'GET', path, { token: world.tokens.clientUser });
      expect(res.text).not.toContain(notes);
    }
    const own = await call(stack.baseUrl, 'PATCH', '/v1/account', { token: world.tokens.clientUser, body: { phone: '+34600000001' } });
    expect(own.status).toBe(200);
    expect(own.text).not.toContain(notes);
    expect((await call(stack.baseUrl, 'PATCH', '/v1/account', { token: world.tokens.clientUser, body: { adminNotes: 'mine now' } })).status).toBe(400);
    const events = await stack.db.query<{ event: unknown }>('select event from accounts.outbox');
    expect(JSON.stringify(events)).not.toContain(notes);
  });
});
