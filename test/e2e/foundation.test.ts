import { connect, type NatsConnection } from 'nats';
import { call, startStack, testEnvironment, waitFor, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(60_000);

describe('foundation: operator → partner → clients → events', () => {
  let stack: Stack;
  let nc: NatsConnection;

  beforeAll(async () => {
    stack = await startStack({ migrations });
    nc = await connect({ servers: testEnvironment.natsUrl });
  });
  afterAll(async () => {
    await nc?.close();
    await stack?.close();
  });

  it('lets the operator create a partner whose owner signs in with a JWT', async () => {
    const { partner, token } = await partnerWithToken(stack);
    expect(partner).toMatchObject({ type: 'distributor', status: 'active', owner: { status: 'active', role: 'admin', invitation: null } });
    expect(JSON.stringify(partner)).not.toMatch(/password/i);
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString() || '{}'));
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ acc: partner.id, iss: 'clientele', aud: 'clientele-api' });
    expect(payload.exp - payload.iat).toBe(900);
  });

  it('refuses operator routes without the operator token, and the operator token elsewhere', async () => {
    const { token } = await partnerWithToken(stack);
    expect((await call(stack.baseUrl, 'GET', '/v1/partners', { token })).status).toBe(401);
    expect((await call(stack.baseUrl, 'GET', '/v1/partners')).status).toBe(401);
    expect((await call(stack.baseUrl, 'GET', '/v1/clients', { token: stack.operatorToken })).status).toBe(401);
    const list = await call(stack.baseUrl, 'GET', '/v1/partners?limit=200', { token: stack.operatorToken });
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(0);
  });

  it('rejects a wrong password without saying which part was wrong', async () => {
    const { body } = await partnerWithToken(stack);
    const wrong = await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: body.owner.email, password: 'not the password' } });
    const unknown = await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: 'nobody@nowhere.test', password: 'whatever it is' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('creates a client with the full body, reads it with an ETag, and stores every field', async () => {
    const { token } = await partnerWithToken(stack);
    const body = clientBody({
      type: 'reseller',
      uniqueIdentifier: 'IT12345678901',
      billingEmails: ['billing@client.test', 'ap@client.test'],
      active: false,
      address: { country: 'it', region: 'Lazio', city: 'Roma', line1: 'Via Roma 1', line2: 'Scala B', postalCode: '00100' },
      phone: '+390612345678',
      language: 'it',
      currency: 'eur',
      emergencyContactEmail: 'emergency@client.test',
      invitation: { send: 'scheduled', sendAt: new Date(Date.now() + 86_400_000).toISOString() },
      settings: { taxExempt: true, marketingOptOut: true, paymentMethod: 'sepa', billingContact: 'Ana', clientGroup: 'gold' },
      creditBalance: '1234.5',
      adminNotes: 'Pays late in August.',
      servicePlans: [],
    });
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/clients/${created.body.id}`);
    expect(created.body).toMatchObject({
      type: 'reseller',
      accountName: body.accountName,
      uniqueIdentifier: 'IT12345678901',
      billingEmails: ['billing@client.test', 'ap@client.test'],
      status: 'inactive',
      active: false,
      address: { country: 'IT', line1: 'Via Roma 1', line2: 'Scala B', postalCode: '00100' },
      phone: '+390612345678',
      language: 'it',
      currency: 'EUR',
      emergencyContactEmail: 'emergency@client.test',
      settings: { taxExempt: true, marketingOptOut: true, overdueNotices: true, paymentMethod: 'sepa', clientGroup: 'gold' },
      creditBalance: '1234.50',
      adminNotes: 'Pays late in August.',
      owner: { role: 'admin', status: 'invited', invitation: { status: 'scheduled', sentAt: null, expiresAt: null } },
      version: 1,
    });
    expect(created.body.owner.invitation.sendAt).toBe((body.invitation as { sendAt: string }).sendAt);

    const read = await call(stack.baseUrl, 'GET', `/v1/clients/${created.body.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.get('etag')).toBe(`"${created.body.id}.1"`);
  });

  it('lists clients with a limit and a cursor, each client exactly once', async () => {
    const { token } = await partnerWithToken(stack);
    const names = ['Delta', 'alpha', 'Charlie', 'bravo', 'Echo'];
    for (const name of names) {
      const res = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody({ accountName: name }) });
      expect(res.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2&sort=accountName${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await call(stack.baseUrl, 'GET', `/v1/clients${query}`, { token });
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((c: { accountName: string }) => c.accountName));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['alpha', 'bravo', 'Charlie', 'Delta', 'Echo']);
  });

  it('never shows a partner another partner’s clients', async () => {
    const a = await partnerWithToken(stack);
    const b = await partnerWithToken(stack);
    const client = await call(stack.baseUrl, 'POST', '/v1/clients', { token: a.token, body: clientBody() });
    const probe = await call(stack.baseUrl, 'GET', `/v1/clients/${client.body.id}`, { token: b.token });
    expect(probe.status).toBe(404);
    expect(probe.body.code).toBe('not_found');
    const list = await call(stack.baseUrl, 'GET', '/v1/clients?limit=200', { token: b.token });
    expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(client.body.id);
    // The same name is free under another parent.
    const same = await call(stack.baseUrl, 'POST', '/v1/clients', { token: b.token, body: clientBody({ accountName: client.body.accountName }) });
    expect(same.status).toBe(201);
  });

  it('answers 409 account_name_taken for a name already used under the same parent, ignoring case', async () => {
    const { token } = await partnerWithToken(stack);
    const first = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody({ accountName: 'Globex' }) });
    expect(first.status).toBe(201);
    const again = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody({ accountName: 'GLOBEX' }) });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'account_name_taken', errors: [{ field: 'accountName' }] });
  });

  it('publishes accounts.client.created as a CloudEvent on the stream, and notifications records it once', async () => {
    const { token } = await partnerWithToken(stack);
    const body = clientBody({ owner: { firstName: 'Eve', lastName: 'Event', email: `eve-${Date.now()}@client.test`, password: 'a long enough secret' } });
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body });
    expect(created.status).toBe(201);

    const jsm = await nc.jetstreamManager();
    const stream = `${stack.prefix.toUpperCase()}_ACCOUNTS`;
    const message = await waitFor(
      async () => {
        const info = await jsm.streams.info(stream);
        for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
          const m = await jsm.streams.getMessage(stream, { seq });
          const event = m.json<{ subject: string }>();
          if (event.subject === created.body.id) return m;
        }
        return undefined;
      },
      { what: 'the client.created event on the stream' },
    );
    const event = message.json<Record<string, any>>();
    expect(message.subject).toBe(`${stack.prefix}.accounts.events.client.created`);
    expect(message.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(event).toMatchObject({
      specversion: '1.0',
      source: '/accounts',
      type: 'accounts.client.created',
      subject: created.body.id,
      datacontenttype: 'application/json',
      data: { clientId: created.body.id, accountName: body.accountName, owner: { status: 'active' } },
    });
    expect(new Date(event.time).toISOString()).toBe(event.time);
    expect(JSON.stringify(event)).not.toContain('a long enough secret');
    expect(JSON.stringify(event)).not.toMatch(/argon2|hash|token/i);

    const handled = await waitFor(
      async () => {
        const rows = await stack.db.query('select event_id from notifications.handled_event where event_id = $1', [event.id]);
        return rows.length ? rows : undefined;
      },
      { what: 'notifications to record the event' },
    );
    expect(handled).toHaveLength(1);
    const outbox = await stack.db.query<{ sent: boolean }>('select sent_at is not null as sent from accounts.outbox where event_id = $1', [event.id]);
    expect(outbox).toEqual([{ sent: true }]);
  });

  it('echoes X-Request-Id and carries it into the services’ JSON logs', async () => {
    const requestId = `e2e-${Date.now()}`;
    const res = await call(stack.baseUrl, 'POST', '/v1/auth/token', {
      body: { email: 'nobody@nowhere.test', password: 'whatever it is' },
      headers: { 'x-request-id': requestId },
    });
    expect(res.headers.get('x-request-id')).toBe(requestId);
    expect(res.body.traceId).toBe(requestId);
    const generated = await call(stack.baseUrl, 'GET', '/health/live');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(async () => stack.logs('accounts').some((line) => line.includes(requestId)), { what: 'the request id in the accounts log' });
    const line = JSON.parse(stack.logs('accounts').find((l) => l.includes(requestId))!);
    expect(line).toMatchObject({ service: 'accounts', requestId });
  });

  it('carries the request id of a change onto its event, so notifications logs it too', async () => {
    const { token } = await partnerWithToken(stack);
    const requestId = `e2e-event-${Date.now()}`;
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody(), headers: { 'x-request-id': requestId } });
    expect(created.status).toBe(201);
    await waitFor(
      async () => stack.logs('notifications').some((line) => line.includes(requestId) && line.includes('accounts.client.created')),
      { what: 'the request id in the notifications log' },
    );
  });

  it('serves Swagger UI and a valid OpenAPI 3 document', async () => {
    const ui = await call(stack.baseUrl, 'GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    const script = await fetch(`${stack.baseUrl}/docs/swagger-ui-bundle.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const doc = await call(stack.baseUrl, 'GET', '/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/partners', '/v1/clients', '/v1/clients/{id}', '/v1/auth/token']));
    expect(doc.body.components.schemas.CreateClientRequest.required).toEqual(
      expect.arrayContaining(['accountName', 'companyName', 'address', 'owner']),
    );
    expect(doc.body.components.securitySchemes.bearer).toBeDefined();
  });

  it('has health and Prometheus metrics on every service', async () => {
    for (const [name, port] of Object.entries(stack.ports)) {
      const live = await fetch(`http://127.0.0.1:${port}/health/live`);
      expect(live.status).toBe(200);
      const ready = (await (await fetch(`http://127.0.0.1:${port}/health/ready`)).json()) as { status: string; checks: Record<string, string> };
      expect(ready.status).toBe('ok');
      expect(ready.checks.nats).toBe('ok');
      if (name !== 'gateway') expect(ready.checks.database).toBe('ok');
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
      const text = await metrics.text();
      expect(text).toContain(`service="${name}"`);
      expect(text).toContain('process_cpu_user_seconds_total');
    }
    const gatewayMetrics = await (await fetch(`http://127.0.0.1:${stack.ports.gateway}/metrics`)).text();
    expect(gatewayMetrics).toMatch(/clientele_http_request_seconds_count\{[^}]*route="\/v1\/clients"/);
    const accountsMetrics = await (await fetch(`http://127.0.0.1:${stack.ports.accounts}/metrics`)).text();
    expect(accountsMetrics).toMatch(/clientele_rpc_handler_seconds_count\{[^}]*subject="accounts.rpc.clients.create"/);
    // The backlogs an operator watches, read when scraped: nothing waits once the stack is quiet.
    // Both read from one scrape: an e-mail going out meanwhile writes an event (owner.invited) between two.
    await waitFor(
      async () => {
        const scraped = await (await fetch(`http://127.0.0.1:${stack.ports.accounts}/metrics`)).text();
        return /^clientele_outbox_unsent\{[^}]*\} 0$/m.test(scraped) && /^clientele_outbox_oldest_unsent_seconds\{[^}]*\} 0$/m.test(scraped);
      },
      { what: 'the outbox to be empty in the metrics, with no age' },
    );
    const notificationsMetrics = await (await fetch(`http://127.0.0.1:${stack.ports.notifications}/metrics`)).text();
    for (const name of ['clientele_events_pending', 'clientele_events_ack_pending', 'clientele_events_redelivered', 'clientele_email_oldest_due_seconds', 'clientele_sweep_lag_seconds']) {
      expect(notificationsMetrics).toMatch(new RegExp(`^${name}\\{[^}]*\\} \\d+(\\.\\d+)?$`, 'm'));
    }
    expect(notificationsMetrics).toMatch(/^clientele_email_queue\{[^}]*state="queued"[^}]*\} \d+$/m);
  });
});
