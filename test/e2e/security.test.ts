import { call, invitationTokenOf, startStack, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(90_000);

describe('security', () => {
  let stack: Stack;
  let parent: Awaited<ReturnType<typeof partnerWithToken>>;

  beforeAll(async () => {
    stack = await startStack({ migrations, env: { LOG_LEVEL: 'debug' } });
    parent = await partnerWithToken(stack);
  });
  afterAll(async () => stack?.close());

  it('writes no password, token or key to any log, even at debug level', async () => {
    const secrets: string[] = [parent.body.owner.password, parent.token];
    const key = (await call(stack.baseUrl, 'POST', '/v1/api-keys', { token: parent.token, body: { name: 'logged?' } })).body.key;
    secrets.push(key);
    expect((await call(stack.baseUrl, 'GET', '/v1/account', { token: key })).status).toBe(200);
    const client = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body: clientBody() });
    const email: string = client.body.owner.email;
    const invitation = invitationTokenOf(await stack.smtp.waitForMessage((m) => JSON.stringify(m.to ?? '').includes(email), 'the invitation'));
    const ownerPassword = 'a brand new owner passphrase';
    secrets.push(invitation, ownerPassword);
    const accepted = await call(stack.baseUrl, 'POST', `/v1/invitations/${invitation}/accept`, { body: { password: ownerPassword } });
    expect(accepted.status).toBe(200);
    secrets.push(accepted.body.accessToken);
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'a wrong guess at it' } })).status).toBe(401);
    secrets.push('a wrong guess at it');
    // Refused calls carry secrets too.
    expect((await call(stack.baseUrl, 'GET', '/v1/account', { token: `${key.slice(0, 20)}xyz` })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    const logs = [...stack.logs('gateway'), ...stack.logs('accounts'), ...stack.logs('notifications')].join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(logs).not.toContain(key.slice(16));
  });

  describe('API keys', () => {
    it('are shown once, stored hashed, act for their account, record their last use and stop working when revoked', async () => {
      const own = await partnerWithToken(stack);
      const created = await call(stack.baseUrl, 'POST', '/v1/api-keys', { token: own.token, body: { name: 'billing sync' } });
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      const key: string = created.body.key;
      expect(key).toMatch(/^ck_[0-9a-z]{12}_[A-Za-z0-9_-]{43}$/);
      expect(created.body).toMatchObject({ name: 'billing sync', prefix: key.slice(0, 15), lastUsedAt: null });

      const listed = await call(stack.baseUrl, 'GET', '/v1/api-keys', { token: own.token });
      expect(listed.body.data).toEqual([expect.objectContaining({ id: created.body.id, prefix: key.slice(0, 15), lastUsedAt: null })]);
      expect(listed.text).not.toContain(key.slice(16));
      const stored = await stack.db.query<Record<string, unknown>>('select * from accounts.api_key where id = $1', [created.body.id]);
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(key.slice(16));

      // The key acts for its account with the admin role.
      const account = await call(stack.baseUrl, 'GET', '/v1/account', { token: key });
      expect(account.status).toBe(200);
      expect(account.body.id).toBe(own.partner.id);
      const client = await call(stack.baseUrl, 'POST', '/v1/clients', { token: key, body: clientBody() });
      expect(client.status).toBe(201);
      const [{ last_used_at }] = await stack.db.query<{ last_used_at: Date | null }>('select last_used_at from accounts.api_key where id = $1', [created.body.id]);
      expect(last_used_at).not.toBeNull();
      expect((await call(stack.baseUrl, 'GET', '/v1/api-keys', { token: own.token })).body.data[0].lastUsedAt).not.toBeNull();

      // A key cannot mint its successors, nor reach the operator routes.
      const minted = await call(stack.baseUrl, 'POST', '/v1/api-keys', { token: key, body: { name: 'from a key' } });
      expect(minted.status).toBe(403);
      expect((await call(stack.baseUrl, 'GET', '/v1/partners', { token: key })).status).toBe(401);

      // A forged secret with a real prefix, and an unknown prefix: 401.
      const forged = `${key.slice(0, 16)}${'A'.repeat(43)}`;
      expect((await call(stack.baseUrl, 'GET', '/v1/account', { token: forged })).status).toBe(401);
      expect((await call(stack.baseUrl, 'GET', '/v1/account', { token: `ck_000000000000_${'A'.repeat(43)}` })).status).toBe(401);

      // Another account cannot see or revoke it.
      const stranger = await partnerWithToken(stack);
      expect((await call(stack.baseUrl, 'DELETE', `/v1/api-keys/${created.body.id}`, { token: stranger.token })).status).toBe(404);
      expect((await call(stack.baseUrl, 'GET', '/v1/api-keys', { token: stranger.token })).body.data).toEqual([]);

      expect((await call(stack.baseUrl, 'DELETE', `/v1/api-keys/${created.body.id}`, { token: own.token })).status).toBe(204);
      const after = await call(stack.baseUrl, 'GET', '/v1/account', { token: key });
      expect(after.status).toBe(401);
      expect(after.headers.get('content-type')).toContain('application/problem+json');
      expect((await call(stack.baseUrl, 'GET', '/v1/api-keys', { token: own.token })).body.data).toEqual([]);
      expect((await call(stack.baseUrl, 'DELETE', `/v1/api-keys/${created.body.id}`, { token: own.token })).status).toBe(404);
    });

    it('sends no CORS headers unless origins are configured', async () => {
      const res = await fetch(`${stack.baseUrl}/v1/clients`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('refuses a nameless key and unknown fields', async () => {
      const bad = await call(stack.baseUrl, 'POST', '/v1/api-keys', { token: parent.token, body: { name: '', scopes: ['all'] } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'scopes']);
    });
  });
});

describe('abuse limits and CORS', () => {
  let stack: Stack;
  let address = 0;
  /** A client address of its own for each test (the stack trusts X-Forwarded-For). */
  const newAddress = () => `198.51.100.${++address}`;

  beforeAll(async () => {
    stack = await startStack({
      migrations,
      env: {
        // Hour-long fixed windows: a test does not straddle a window's end.
        RATE_LIMIT_AUTH: '3/1h',
        RATE_LIMIT_AUTH_PER_IP: '6/1h',
        RATE_LIMIT_PER_CALLER: '25/1h',
        TRUST_PROXY: 'true',
        CORS_ORIGINS: 'https://app.example.com',
      },
    });
  });
  afterAll(async () => stack?.close());

  const signIn = (email: string, password: string, ip: string, base = stack.baseUrl) =>
    call(base, 'POST', '/v1/auth/token', { body: { email, password }, headers: { 'x-forwarded-for': ip } });

  it('limits sign-in per e-mail, even with the right password, and says when to come back', async () => {
    const { body } = await partnerWithToken(stack);
    const ip = newAddress();
    // The fixture's sign-in was the first of three.
    for (let i = 0; i < 2; i++) expect((await signIn(body.owner.email, 'wrong password', ip)).status).toBe(401);
    const limited = await signIn(body.owner.email, body.owner.password, newAddress());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // The e-mail is what is limited: the same address, another account, still signs in.
    const other = await partnerWithToken(stack);
    expect((await signIn(other.body.owner.email, other.body.owner.password, ip)).status).toBe(200);
  });

  it('limits password resets and link acceptances per client address, across gateway replicas', async () => {
    const port = await stack.startReplica('gateway');
    const replica = `http://127.0.0.1:${port}`;
    const ip = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const base = i % 2 ? replica : stack.baseUrl;
      const path = i < 4 ? '/v1/auth/password-reset' : `/v1/invitations/${'x'.repeat(43)}${i}/accept`;
      const body = i < 4 ? { email: `nobody-${i}@example.com` } : { password: 'a long enough password' };
      statuses.push((await call(base, 'POST', path, { body, headers: { 'x-forwarded-for': ip } })).status);
    }
    expect(statuses.slice(0, 4)).toEqual([202, 202, 202, 202]);
    expect(statuses[4]).toBe(404);
    expect(statuses[5]).toBe(404);
    expect(statuses[6]).toBe(429);
    // Another address is not affected.
    expect((await call(replica, 'POST', '/v1/auth/password-reset', { body: { email: 'a@example.com' }, headers: { 'x-forwarded-for': newAddress() } })).status).toBe(202);
  });

  it('with a hop count in TRUST_PROXY, takes the address that many hops back, whatever a client wrote before it', async () => {
    const port = await stack.startReplica('gateway', { TRUST_PROXY: '1' });
    const oneHop = `http://127.0.0.1:${port}`;
    const ip = newAddress();
    const statuses: number[] = [];
    // Each request claims another first address; the proxy one hop back appended the same client address.
    for (let i = 0; i < 7; i++) {
      const forwarded = `203.0.113.${i + 1}, ${ip}`;
      statuses.push((await call(oneHop, 'POST', '/v1/auth/password-reset', { body: { email: `hops-${i}@example.com` }, headers: { 'x-forwarded-for': forwarded } })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 429]);
    // The forwarded address is the one counted, not the proxy's connection.
    expect((await call(oneHop, 'POST', '/v1/auth/password-reset', { body: { email: 'hops@example.com' }, headers: { 'x-forwarded-for': newAddress() } })).status).toBe(202);
  });

  it('limits every caller in general', async () => {
    const { token } = await partnerWithToken(stack, {});
    const statuses: number[] = [];
    for (let i = 0; i < 27; i++) statuses.push((await call(stack.baseUrl, 'GET', '/v1/account', { token })).status);
    expect(statuses.filter((s) => s === 200).length).toBe(25);
    expect(statuses.at(-1)).toBe(429);
    // Another caller has its own count.
    const other = await partnerWithToken(stack);
    expect((await call(stack.baseUrl, 'GET', '/v1/account', { token: other.token })).status).toBe(200);
  });

  it('counts refused credentials against the address, so keys cannot be guessed without end', async () => {
    const ip = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 27; i++) {
      const guess = `ck_${'0'.repeat(12)}_${String(i).padStart(43, 'A')}`;
      statuses.push((await call(stack.baseUrl, 'GET', '/v1/account', { token: guess, headers: { 'x-forwarded-for': ip } })).status);
    }
    expect(statuses.filter((s) => s === 401).length).toBe(25);
    expect(statuses.at(-1)).toBe(429);
  });

  it('answers CORS only to the configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.baseUrl}/v1/clients`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Authorization');
    const refused = await preflight('https://evil.example.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${stack.baseUrl}/health/live`, { headers: { origin: 'https://evil.example.net' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(simple.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
