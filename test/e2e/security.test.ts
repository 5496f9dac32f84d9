import { call, startStack, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(90_000);

describe('security', () => {
  let stack: Stack;
  let parent: Awaited<ReturnType<typeof partnerWithToken>>;

  beforeAll(async () => {
    stack = await startStack({ migrations });
    parent = await partnerWithToken(stack);
  });
  afterAll(async () => stack?.close());

  describe('API keys', () => {
    it('are shown once, stored hashed, act for their account, record their last use and stop working when revoked', async () => {
      const created = await call(stack.baseUrl, 'POST', '/v1/api-keys', { token: parent.token, body: { name: 'billing sync' } });
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      const key: string = created.body.key;
      expect(key).toMatch(/^ck_[0-9a-z]{12}_[A-Za-z0-9_-]{43}$/);
      expect(created.body).toMatchObject({ name: 'billing sync', prefix: key.slice(0, 15), lastUsedAt: null });

      const listed = await call(stack.baseUrl, 'GET', '/v1/api-keys', { token: parent.token });
      expect(listed.body.data).toEqual([expect.objectContaining({ id: created.body.id, prefix: key.slice(0, 15), lastUsedAt: null })]);
      expect(listed.text).not.toContain(key.slice(16));
      const stored = await stack.db.query<Record<string, unknown>>('select * from accounts.api_key');
      expect(JSON.stringify(stored)).not.toContain(key.slice(16));

      // The key acts for its account with the admin role.
      const account = await call(stack.baseUrl, 'GET', '/v1/account', { token: key });
      expect(account.status).toBe(200);
      expect(account.body.id).toBe(parent.partner.id);
      const client = await call(stack.baseUrl, 'POST', '/v1/clients', { token: key, body: clientBody() });
      expect(client.status).toBe(201);
      const [{ last_used_at }] = await stack.db.query<{ last_used_at: Date | null }>('select last_used_at from accounts.api_key where id = $1', [created.body.id]);
      expect(last_used_at).not.toBeNull();
      expect((await call(stack.baseUrl, 'GET', '/v1/api-keys', { token: parent.token })).body.data[0].lastUsedAt).not.toBeNull();

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

      expect((await call(stack.baseUrl, 'DELETE', `/v1/api-keys/${created.body.id}`, { token: parent.token })).status).toBe(204);
      const after = await call(stack.baseUrl, 'GET', '/v1/account', { token: key });
      expect(after.status).toBe(401);
      expect(after.headers.get('content-type')).toContain('application/problem+json');
      expect((await call(stack.baseUrl, 'GET', '/v1/api-keys', { token: parent.token })).body.data).toEqual([]);
      expect((await call(stack.baseUrl, 'DELETE', `/v1/api-keys/${created.body.id}`, { token: parent.token })).status).toBe(404);
    });

    it('refuses a nameless key and unknown fields', async () => {
      const bad = await call(stack.baseUrl, 'POST', '/v1/api-keys', { token: parent.token, body: { name: '', scopes: ['all'] } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'scopes']);
    });
  });
});
