import { call, startStack, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(60_000);

describe('bad input gets a clear 4xx problem and changes nothing', () => {
  let stack: Stack;
  let token: string;

  const clientCount = async () => (await stack.db.query<{ n: string }>('select count(*) as n from accounts.account where not is_partner'))[0].n;

  beforeAll(async () => {
    stack = await startStack({ migrations });
    ({ token } = await partnerWithToken(stack));
  });
  afterAll(async () => stack?.close());

  it('lists every field error of a bad client at once', async () => {
    const before = await clientCount();
    const res = await call(stack.baseUrl, 'POST', '/v1/clients', {
      token,
      body: {
        accountName: '',
        address: { country: 'Spain', city: 'Madrid' },
        owner: { firstName: 'A', email: 'not-an-email', password: 'short' },
        billingEmails: ['ok@x.test', 'nope'],
        phone: '555-1234',
        language: '??',
        currency: 'euro',
        creditBalance: '12.345',
        invitation: { send: 'scheduled' },
        servicePlans: [{ planId: 'x', units: 0, startDate: '2026-02-30' }],
        colour: 'blue',
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:clientele:problem:validation_failed', title: 'Bad Request', status: 400, code: 'validation_failed' });
    expect(res.body.traceId).toBe(res.headers.get('x-request-id'));
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'colour', 'accountName', 'companyName', 'address.country', 'address.region', 'owner.lastName', 'owner.email',
        'owner.password', 'billingEmails', 'phone', 'language', 'currency', 'creditBalance', 'invitation.sendAt',
        'servicePlans.0.planId', 'servicePlans.0.units', 'servicePlans.0.startDate',
      ]),
    );
    expect(res.body.errors.find((e: { field: string }) => e.field === 'companyName').message).toBe('companyName is required');
    expect(res.body.errors.find((e: { field: string }) => e.field === 'colour').message).toBe('colour is not a known field');
    expect(await clientCount()).toBe(before);
  });

  it('rejects a role for the owner: it is always admin', async () => {
    const res = await call(stack.baseUrl, 'POST', '/v1/clients', {
      token,
      body: clientBody({ owner: { firstName: 'A', lastName: 'B', email: 'a@b.test', role: 'viewer' } }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'owner.role', message: 'owner.role is not a known field' }]);
  });

  it('answers malformed JSON, a JSON array, a wrong content type and an oversized body with problems', async () => {
    const before = await clientCount();
    const malformed = await call(stack.baseUrl, 'POST', '/v1/clients', { token, raw: '{"accountName":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_json');
    const array = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: [clientBody()] });
    expect(array.status).toBe(400);
    expect(array.body.code).toBe('validation_failed');
    const text = await call(stack.baseUrl, 'POST', '/v1/clients', { token, raw: 'accountName=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('unsupported_media_type');
    const form = await call(stack.baseUrl, 'POST', '/v1/clients', { token, raw: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const huge = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody({ adminNotes: 'x'.repeat(1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');
    const empty = await call(stack.baseUrl, 'POST', '/v1/clients', { token });
    expect(empty.status).toBe(400);
    expect(await clientCount()).toBe(before);
  });

  it('validates list parameters and cursors', async () => {
    const forged = Buffer.from(JSON.stringify(['createdAt', 'not a time', '00000000-0000-7000-8000-000000000000'])).toString('base64url');
    const badId = Buffer.from(JSON.stringify(['accountName', 'acme', 'not-a-uuid'])).toString('base64url');
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'sort=name', 'status=deleted', 'type=partner', 'unknown=1', 'cursor=garbage', `cursor=${forged}`, `sort=accountName&cursor=${badId}`]) {
      const res = await call(stack.baseUrl, 'GET', `/v1/clients?${query}`, { token });
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'validation_failed']);
    }
  });

  it('answers 404 problems for unknown ids and paths, 401 for bad tokens', async () => {
    for (const id of ['not-a-uuid', '00000000-0000-7000-8000-000000000000', "'; drop table accounts.account; --"]) {
      const res = await call(stack.baseUrl, 'GET', `/v1/clients/${encodeURIComponent(id)}`, { token });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    expect((await call(stack.baseUrl, 'GET', '/v1/nothing-here', { token })).status).toBe(404);
    const forged = `${token.slice(0, -4)}AAAA`;
    const bad = await call(stack.baseUrl, 'GET', '/v1/clients', { token: forged });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('unauthorized');
  });

  it('sends the usual security headers on every answer', async () => {
    const res = await call(stack.baseUrl, 'GET', '/v1/clients', { token });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 403 when a customer account tries to create clients', async () => {
    const customer = await partnerWithToken(stack);
    const child = await call(stack.baseUrl, 'POST', '/v1/clients', {
      token: customer.token,
      body: clientBody({ owner: { firstName: 'Cu', lastName: 'Stomer', email: `cust-${Date.now()}@c.test`, password: 'customer password 1' } }),
    });
    expect(child.status).toBe(201);
    const signIn = await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: child.body.owner.email, password: 'customer password 1' } });
    expect(signIn.status).toBe(200);
    const res = await call(stack.baseUrl, 'POST', '/v1/clients', { token: signIn.body.accessToken, body: clientBody() });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });
});
