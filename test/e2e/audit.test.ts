import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { call, invitationTokenOf, startStack, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(120_000);

/** The user id an access token stands for. */
const userIdOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;

/**
 * The audit trail through the API: what an entry says, who may read which
 * entries, the filters and pages, and that no secret is ever in it. The
 * channel: `ancestor` (a distributor) → `parent` (a reseller) → `client` (a
 * customer whose owner signs in as `clientUser`); `stranger` is another partner.
 */
describe('audit trail', () => {
  let stack: Stack;
  let ancestor: Awaited<ReturnType<typeof partnerWithToken>>;
  let stranger: Awaited<ReturnType<typeof partnerWithToken>>;
  const parentPassword = 'reseller owner passphrase';
  const clientPassword = 'client owner passphrase';
  let parentEmail: string;
  let parentToken: string;
  let parentId: string;
  let clientId: string;
  let clientEmail: string;
  let clientToken: string;

  const get = (path: string, token: string, headers?: Record<string, string>) => call(stack.baseUrl, 'GET', path, { token, headers });
  /** Every entry a caller reads with these filters, page after page. */
  async function readAll(token: string, query = ''): Promise<any[]> {
    const entries: any[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/v1/audit-events?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(page.status).toBe(200);
      entries.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return entries;
  }

  beforeAll(async () => {
    stack = await startStack({ migrations });
    ancestor = await partnerWithToken(stack);
    stranger = await partnerWithToken(stack);
    const parentBody = clientBody({ type: 'reseller', owner: { firstName: 'Rita', lastName: 'Sel', email: `reseller-${Date.now()}@audit.test`, password: parentPassword } });
    const parent = await call(stack.baseUrl, 'POST', '/v1/clients', { token: ancestor.token, body: parentBody });
    parentId = parent.body.id;
    parentEmail = parentBody.owner.email;
    parentToken = (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: parentEmail, password: parentPassword } })).body.accessToken;
    const body = clientBody({ owner: { firstName: 'Carla', lastName: 'Bianchi', email: `client-${Date.now()}@audit.test`, password: clientPassword } });
    const client = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parentToken, body });
    clientId = client.body.id;
    clientEmail = body.owner.email;
    clientToken = (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: clientEmail, password: clientPassword } })).body.accessToken;
  });
  afterAll(async () => stack?.close());

  it('says who did what, to what, when and from where, with what each field was and became', async () => {
    const before = new Date();
    const patched = await call(stack.baseUrl, 'PATCH', `/v1/clients/${clientId}`, {
      token: parentToken,
      body: { phone: '+34600000111', companyName: 'Renamed S.p.A.' },
      headers: { 'User-Agent': 'audit-test/1.0', 'X-Request-Id': 'audit-test-patch-1' },
    });
    expect(patched.status).toBe(200);

    const page = await get(`/v1/audit-events?clientId=${clientId}&action=client.updated`, parentToken);
    expect(page.status).toBe(200);
    const [entry] = page.body.data;
    expect(entry).toEqual({
      id: expect.any(String),
      occurredAt: expect.stringMatching(/Z$/),
      action: 'client.updated',
      actor: { type: 'user', id: userIdOf(parentToken), email: parentEmail },
      target: { type: 'client', id: clientId, name: patched.body.accountName },
      changes: { phone: { from: null, to: '+34600000111' }, companyName: { from: expect.any(String), to: 'Renamed S.p.A.' } },
      context: { ip: expect.stringMatching(/127\.0\.0\.1|::1/), userAgent: 'audit-test/1.0', requestId: 'audit-test-patch-1' },
    });
    expect(new Date(entry.occurredAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
  });

  it('names the operator, API keys, sign-ins and failed sign-ins as their actors', async () => {
    const parentTrail = await readAll(parentToken, `&clientId=${parentId}`);
    // Its opening by the ancestor's owner, and its owner's sign-in.
    expect(parentTrail).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'client.created', actor: { type: 'user', id: userIdOf(ancestor.token), email: ancestor.body.owner.email } }),
      expect.objectContaining({ action: 'auth.signed-in', actor: { type: 'user', id: userIdOf(parentToken), email: parentEmail }, target: expect.objectContaining({ type: 'user', name: parentEmail }) }),
    ]));
    // A partner is opened by the operator.
    const opened = await readAll(ancestor.token, '&action=client.created');
    expect(opened).toEqual(expect.arrayContaining([expect.objectContaining({ target: expect.objectContaining({ id: ancestor.partner.id }), actor: { type: 'operator', id: null } })]));

    // A failed sign-in: in the trail of the user's account, by the e-mail tried; an unknown e-mail leaves nothing anywhere.
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: parentEmail.toUpperCase(), password: 'a wrong guess' } })).status).toBe(401);
    const [failed] = (await get(`/v1/audit-events?action=auth.sign-in-failed&clientId=${parentId}`, parentToken)).body.data;
    expect(failed).toMatchObject({ actor: { type: 'user', id: null, email: parentEmail }, target: { type: 'user', id: userIdOf(parentToken) } });
    const unknown = `nobody-${Date.now()}@audit.test`;
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: unknown, password: 'a wrong guess' } })).status).toBe(401);
    expect(await stack.db.query(`select 1 from accounts.audit_event where actor_email = $1 or target_name = $1`, [unknown])).toEqual([]);

    // An API key acts as itself: created, used and revoked, each recorded.
    const created = await call(stack.baseUrl, 'POST', '/v1/api-keys', { token: parentToken, body: { name: 'audit sync' } });
    const key: string = created.body.key;
    expect((await call(stack.baseUrl, 'POST', `/v1/clients/${clientId}/deactivate`, { token: key })).status).toBe(200);
    expect((await call(stack.baseUrl, 'DELETE', `/v1/api-keys/${created.body.id}`, { token: parentToken })).status).toBe(204);
    const byKey = (await get(`/v1/audit-events?actorId=${created.body.id}`, parentToken)).body.data;
    expect(byKey).toEqual([
      expect.objectContaining({ action: 'client.deactivated', actor: { type: 'api-key', id: created.body.id }, changes: { status: { from: 'active', to: 'inactive' } } }),
    ]);
    const keys = (await readAll(parentToken, `&clientId=${parentId}`)).filter((e) => e.target.type === 'api-key');
    expect(keys.map((e) => [e.action, e.target])).toEqual([
      ['api-key.revoked', { type: 'api-key', id: created.body.id, name: 'audit sync' }],
      ['api-key.created', { type: 'api-key', id: created.body.id, name: 'audit sync' }],
    ]);
  });

  it('filters by action, actor, client and time, and pages newest first without gaps or repeats', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await call(stack.baseUrl, 'PATCH', `/v1/clients/${clientId}`, { token: parentToken, body: { phone: `+3460000020${i}` } })).status).toBe(200);
    }
    const all = await readAll(parentToken);
    const times = all.map((e) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);

    // Pages of two walk the same entries.
    const paged: any[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/v1/audit-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`, parentToken);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));

    const updates = await readAll(parentToken, `&action=client.updated&clientId=${clientId}`);
    expect(updates.length).toBeGreaterThanOrEqual(5);
    expect(updates.every((e) => e.action === 'client.updated' && e.target.id === clientId)).toBe(true);
    expect(updates.slice(0, 5).map((e) => e.changes.phone.to)).toEqual(['+34600000204', '+34600000203', '+34600000202', '+34600000201', '+34600000200']);

    const mine = await readAll(parentToken, `&actorId=${userIdOf(parentToken)}`);
    expect(mine.length).toBeGreaterThanOrEqual(7);
    expect(mine.every((e) => e.actor.id === userIdOf(parentToken))).toBe(true);

    // since is inclusive, until exclusive.
    const third = updates[2].occurredAt;
    const since = await readAll(parentToken, `&action=client.updated&clientId=${clientId}&since=${third}`);
    expect(since.map((e) => e.id)).toEqual(updates.filter((e) => e.occurredAt >= third).map((e) => e.id));
    const until = await readAll(parentToken, `&action=client.updated&clientId=${clientId}&until=${third}`);
    expect(until.map((e) => e.id)).toEqual(updates.filter((e) => e.occurredAt < third).map((e) => e.id));

    // An account higher up reads the trails below it; its own trail is in its list too.
    const fromAbove = await readAll(ancestor.token);
    expect(fromAbove.some((e) => e.target.id === clientId)).toBe(true);
    expect(fromAbove.some((e) => e.target.id === parentId)).toBe(true);
    // A stranger reads none of them.
    const strangers = await readAll(stranger.token);
    expect(strangers.some((e) => [clientId, parentId].includes(e.target.id))).toBe(false);
  });

  it('refuses a forged cursor (400), a client outside reach (404) and malformed filters (400)', async () => {
    const forged = Buffer.from(JSON.stringify(['-occurredAt', '2026-02-30 10:00:00+00', '0190a5d2-7c1e-7b3a-9f00-1234567890ab'])).toString('base64url');
    for (const cursor of [forged, 'not-a-cursor', Buffer.from(JSON.stringify(['createdAt', '2026-01-01 00:00:00+00', '0190a5d2-7c1e-7b3a-9f00-1234567890ab'])).toString('base64url')]) {
      const res = await get(`/v1/audit-events?cursor=${cursor}`, parentToken);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    for (const id of [stranger.partner.id, '0190a5d2-7c1e-7b3a-9f00-1234567890ab', 'not-an-id']) {
      const res = await get(`/v1/audit-events?clientId=${id}`, parentToken);
      expect(res.status).toBe(404);
    }
    // The client's own users read their own trail, not their parent's.
    expect((await get(`/v1/audit-events?clientId=${parentId}`, clientToken)).status).toBe(404);
    for (const query of ['since=yesterday', 'actorId=someone', 'action=DROP%20TABLE', 'limit=0', 'limit=201', 'colour=blue']) {
      expect((await get(`/v1/audit-events?${query}`, parentToken)).status).toBe(400);
    }
  });

  it("shows adminNotes changes to the direct parent only: never to the client's own users nor to accounts higher up", async () => {
    const notes = `private note ${Date.now()}`;
    expect((await call(stack.baseUrl, 'PATCH', `/v1/clients/${clientId}`, { token: parentToken, body: { adminNotes: notes } })).status).toBe(200);
    expect((await call(stack.baseUrl, 'PATCH', `/v1/clients/${clientId}`, { token: parentToken, body: { adminNotes: `${notes} (2)`, phone: '+34600000333' } })).status).toBe(200);

    const parentView = await readAll(parentToken, `&clientId=${clientId}&action=client.updated`);
    expect(parentView[0].changes).toEqual({ adminNotes: { from: notes, to: `${notes} (2)` }, phone: { from: expect.any(String), to: '+34600000333' } });
    expect(parentView[1].changes).toEqual({ adminNotes: { from: null, to: notes } });

    for (const token of [clientToken, ancestor.token]) {
      for (const query of [`&clientId=${clientId}`, '']) {
        const seen = await readAll(token, query);
        expect(JSON.stringify(seen)).not.toContain(notes);
        expect(JSON.stringify(seen)).not.toContain('adminNotes');
        // The change that touched the notes and the phone shows, with the phone only; the notes-only one not at all.
        expect(seen.find((e) => e.id === parentView[0].id)?.changes).toEqual({ phone: { from: expect.any(String), to: '+34600000333' } });
        expect(seen.find((e) => e.id === parentView[1].id)).toBeUndefined();
      }
    }
  });

  it('streams the same entries as CSV, cells a spreadsheet would run neutralized', async () => {
    const patched = await call(stack.baseUrl, 'PATCH', `/v1/clients/${clientId}`, {
      token: parentToken,
      body: { phone: '+34600000444' },
      headers: { 'User-Agent': '=HYPERLINK("https://evil.test")' },
    });
    expect(patched.status).toBe(200);
    const json = await readAll(parentToken, `&clientId=${clientId}`);

    const res = await get(`/v1/audit-events?clientId=${clientId}&limit=1`, parentToken, { Accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-events-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = parse(res.text.replace(/^\ufeff/, '')) as string[][];
    expect(header).toEqual(['id', 'occurredAt', 'action', 'actor.type', 'actor.id', 'actor.email', 'target.type', 'target.id', 'target.name', 'changes', 'context.ip', 'context.userAgent', 'context.requestId']);
    // Every entry, not a page of `limit`.
    expect(rows.map((row) => row[0])).toEqual(json.map((e) => e.id));
    const [newest] = rows;
    expect(newest.slice(2, 5)).toEqual(['client.updated', 'user', userIdOf(parentToken)]);
    expect(JSON.parse(newest[9])).toEqual(json[0].changes);
    expect(newest[11]).toBe(`'=HYPERLINK("https://evil.test")`);

    // A refusal before the first row is still a problem answer.
    const refused = await get(`/v1/audit-events?clientId=${stranger.partner.id}`, parentToken, { Accept: 'text/csv' });
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  });

  it('never holds a password, token, key or hash', async () => {
    const created = await call(stack.baseUrl, 'POST', '/v1/api-keys', { token: parentToken, body: { name: 'secret holder' } });
    const key: string = created.body.key;
    const keyed = await call(stack.baseUrl, 'POST', '/v1/service-plans', { token: key, body: { name: `Plan ${Date.now()}`, product: 'P', unitType: 'user' } });
    expect(keyed.status).toBe(201);
    await call(stack.baseUrl, 'PATCH', `/v1/service-plans/${keyed.body.id}`, { token: key, body: { active: false } });
    await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: clientEmail, password: 'a wrong password guess' } });
    const invited = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parentToken, body: clientBody() });
    expect((await call(stack.baseUrl, 'POST', `/v1/clients/${invited.body.id}/invitation/resend`, { token: parentToken })).status).toBe(202);

    const hashes = await stack.db.query<{ h: string }>(
      `select password_hash as h from accounts."user" where password_hash is not null
       union all select key_hash from accounts.api_key
       union all select token_hash from accounts.invitation where token_hash is not null
       union all select token_hash from accounts.password_reset`,
    );
    const secrets = [
      parentPassword, clientPassword, ancestor.body.owner.password, 'a wrong password guess', 'a wrong guess',
      parentToken, clientToken, ancestor.token, stack.operatorToken,
      key, key.slice(16), createHash('sha256').update(key).digest('hex'),
      ...hashes.map((row) => row.h),
    ];
    expect(hashes.length).toBeGreaterThan(3);
    const trail = JSON.stringify(await stack.db.query('select * from accounts.audit_event'));
    expect(trail.length).toBeGreaterThan(2_000);
    for (const secret of secrets) expect(trail).not.toContain(secret);
    // And through the API, as each kind of reader sees it.
    for (const token of [parentToken, clientToken, ancestor.token]) {
      const seen = JSON.stringify(await readAll(token));
      for (const secret of secrets) expect(seen).not.toContain(secret);
    }
  });

  it('names the owner who accepts an invitation or resets a password, and the system that sends the link', async () => {
    const body = clientBody();
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parentToken, body });
    const mail = await stack.smtp.waitForMessage((m) => JSON.stringify(m.to ?? '').includes(body.owner.email), 'the invitation');
    const accepted = await call(stack.baseUrl, 'POST', `/v1/invitations/${invitationTokenOf(mail)}/accept`, { body: { password: 'an owner passphrase' } });
    expect(accepted.status).toBe(200);
    const owner = { type: 'user', id: userIdOf(accepted.body.accessToken), email: body.owner.email };
    const trail = await readAll(parentToken, `&clientId=${created.body.id}`);
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['owner.activated', owner],
      ['owner.invited', { type: 'system', id: null }],
      ['client.created', { type: 'user', id: userIdOf(parentToken), email: parentEmail }],
    ]);

    // The owner created with a password was sent a link to choose their own.
    const link = await stack.smtp.waitForMessage((m) => JSON.stringify(m.to ?? '').includes(clientEmail) && /password/i.test(m.subject ?? ''), 'the password link');
    const token = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(link.text ?? '')![1];
    expect((await call(stack.baseUrl, 'POST', `/v1/auth/password-reset/${token}`, { body: { password: 'a new client passphrase' } })).status).toBe(200);
    const [reset] = (await get('/v1/audit-events?action=auth.password-reset', clientToken)).body.data;
    expect(reset).toMatchObject({ actor: { type: 'user', id: userIdOf(clientToken), email: clientEmail }, target: { type: 'user', id: userIdOf(clientToken) }, changes: {} });
    expect(JSON.stringify(reset)).not.toContain(token);
  });
});
