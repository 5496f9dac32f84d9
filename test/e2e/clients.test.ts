import { call, startStack, waitFor, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(90_000);

/** A client whose owner has a password, signed in: the way down a channel. */
async function clientWithToken(stack: Stack, parentToken: string, overrides: Record<string, unknown> = {}) {
  const email = `owner-${Date.now()}-${Math.random().toString(36).slice(2)}@tier.test`;
  const body = clientBody({ owner: { firstName: 'T', lastName: 'Ier', email, password: 'tier owner password' }, ...overrides });
  const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parentToken, body });
  if (created.status !== 201) throw new Error(`client not created: ${created.text}`);
  const signIn = await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'tier owner password' } });
  return { client: created.body, token: signIn.body.accessToken as string };
}

describe('clients across a multi-tier channel', () => {
  let stack: Stack;
  let distributor: { token: string; partner: any };
  let reseller: { token: string; client: any };
  let customer: { token: string; client: any };
  let stranger: { token: string };
  let strangerReseller: { token: string; client: any };

  beforeAll(async () => {
    stack = await startStack({ migrations });
    distributor = await partnerWithToken(stack);
    reseller = await clientWithToken(stack, distributor.token, { type: 'reseller', adminNotes: 'distributor notes on reseller' });
    customer = await clientWithToken(stack, reseller.token, { adminNotes: 'reseller notes on customer' });
    stranger = await partnerWithToken(stack);
    strangerReseller = await clientWithToken(stack, stranger.token, { type: 'reseller' });
  });
  afterAll(async () => stack?.close());

  const get = (token: string, path: string) => call(stack.baseUrl, 'GET', path, { token });

  it('lets the parent read its client with admin notes, an ancestor read it without, and nobody else', async () => {
    const path = `/v1/clients/${customer.client.id}`;
    const byParent = await get(reseller.token, path);
    expect(byParent.status).toBe(200);
    expect(byParent.body.adminNotes).toBe('reseller notes on customer');
    const byAncestor = await get(distributor.token, path);
    expect(byAncestor.status).toBe(200);
    expect(byAncestor.body).not.toHaveProperty('adminNotes');
    for (const token of [stranger.token, strangerReseller.token, customer.token]) {
      const res = await get(token, path);
      expect(res.status).toBe(404);
    }
  });

  it('lets an ancestor list the clients of a descendant, and strangers not', async () => {
    const list = await get(distributor.token, `/v1/clients?parent=${reseller.client.id}`);
    expect(list.status).toBe(200);
    // Passed on as accounts wrote it, still a JSON answer with the API's headers.
    expect(list.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([customer.client.id]);
    // The page's summary says what the client's own answer says, times to the millisecond included.
    const one = (await get(distributor.token, `/v1/clients/${customer.client.id}`)).body;
    expect(list.text).toBe(JSON.stringify({
      data: [{ id: one.id, type: one.type, accountName: one.accountName, companyName: one.companyName, status: one.status, ownerStatus: one.owner.status, createdAt: one.createdAt, updatedAt: one.updatedAt, version: one.version }],
      nextCursor: null,
    }));
    expect((await get(stranger.token, `/v1/clients?parent=${reseller.client.id}`)).status).toBe(404);
    expect((await get(customer.token, `/v1/clients?parent=${reseller.client.id}`)).status).toBe(404);
    // The distributor's own list holds its direct client only.
    const own = await get(distributor.token, '/v1/clients');
    expect(own.body.data.map((c: { id: string }) => c.id)).toEqual([reseller.client.id]);
  });

  it('lets only the parent change a client: 403 for an ancestor, 404 for strangers, nothing changed', async () => {
    const path = `/v1/clients/${customer.client.id}`;
    const before = await get(reseller.token, path);
    for (const [token, status] of [[distributor.token, 403], [stranger.token, 404], [customer.token, 404]] as const) {
      expect((await call(stack.baseUrl, 'PATCH', path, { token, body: { companyName: 'Hijacked' } })).status).toBe(status);
      expect((await call(stack.baseUrl, 'POST', `${path}/deactivate`, { token })).status).toBe(status);
      expect((await call(stack.baseUrl, 'DELETE', `${path}/relationship`, { token })).status).toBe(status);
    }
    expect((await get(reseller.token, path)).body).toEqual(before.body);
  });

  it('updates with JSON merge patch: absent keeps, null clears, nested objects merge', async () => {
    const { client } = await clientWithToken(stack, distributor.token, {
      phone: '+34911234567',
      address: { country: 'ES', region: 'Madrid', city: 'Madrid', line1: 'Gran Vía 1', postalCode: '28013' },
      settings: { taxExempt: true, paymentMethod: 'card' },
      adminNotes: 'to be cleared',
    });
    const res = await call(stack.baseUrl, 'PATCH', `/v1/clients/${client.id}`, {
      token: distributor.token,
      raw: JSON.stringify({ phone: null, adminNotes: null, address: { city: 'Sevilla', line1: null }, settings: { taxExempt: null, clientGroup: 'gold' } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      phone: null,
      adminNotes: null,
      address: { country: 'ES', region: 'Madrid', city: 'Sevilla', line1: null, postalCode: '28013' },
      settings: { taxExempt: false, paymentMethod: 'card', clientGroup: 'gold' },
      accountName: client.accountName,
      version: 2,
    });
    expect(res.headers.get('etag')).toBe(`"${client.id}.2"`);
    const invalid = await call(stack.baseUrl, 'PATCH', `/v1/clients/${client.id}`, {
      token: distributor.token,
      body: { accountName: null, address: { country: null }, currency: 'EURO', owner: { email: 'x@y.test' } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['accountName', 'address.country', 'currency', 'owner']);
    expect((await get(distributor.token, `/v1/clients/${client.id}`)).body.version).toBe(2);
  });

  it('answers 412 version_conflict to a stale If-Match, and lets exactly one of two racing updates win', async () => {
    const { client } = await clientWithToken(stack, distributor.token);
    const stale = await call(stack.baseUrl, 'PATCH', `/v1/clients/${client.id}`, {
      token: distributor.token, body: { companyName: 'Nope' }, headers: { 'if-match': `"${client.id}.7"` },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version_conflict');
    const racing = await Promise.all(
      ['First', 'Second', 'Third'].map((companyName) =>
        call(stack.baseUrl, 'PATCH', `/v1/clients/${client.id}`, {
          token: distributor.token, body: { companyName }, headers: { 'if-match': `"${client.id}.1"` },
        }),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([200, 412, 412]);
    expect((await get(distributor.token, `/v1/clients/${client.id}`)).body.version).toBe(2);
  });

  it('answers 409 to a rename onto a name taken under the same parent', async () => {
    const a = await clientWithToken(stack, distributor.token, { accountName: 'Rename Target' });
    const b = await clientWithToken(stack, distributor.token);
    const res = await call(stack.baseUrl, 'PATCH', `/v1/clients/${b.client.id}`, { token: distributor.token, body: { accountName: 'rename target' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('account_name_taken');
    expect(a.client.id).not.toBe(b.client.id);
  });

  it('lets exactly one of two concurrent creates with the same name succeed', async () => {
    const name = `Race ${Date.now()}`;
    const answers = await Promise.all([1, 2, 3].map(() => call(stack.baseUrl, 'POST', '/v1/clients', { token: distributor.token, body: clientBody({ accountName: name }) })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
  });

  it('switches a client off and on, publishing the events in order', async () => {
    const { client } = await clientWithToken(stack, distributor.token);
    const off = await call(stack.baseUrl, 'POST', `/v1/clients/${client.id}/deactivate`, { token: distributor.token });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ status: 'inactive', active: false, version: 2 });
    const offAgain = await call(stack.baseUrl, 'POST', `/v1/clients/${client.id}/deactivate`, { token: distributor.token });
    expect(offAgain.body.version).toBe(2);
    const on = await call(stack.baseUrl, 'POST', `/v1/clients/${client.id}/activate`, { token: distributor.token });
    expect(on.body).toMatchObject({ status: 'active', version: 3 });
    const listed = await get(distributor.token, '/v1/clients?status=inactive&limit=200');
    expect(listed.body.data.map((c: { id: string }) => c.id)).not.toContain(client.id);
    const types = await waitFor(async () => {
      const rows = await stack.db.query<{ type: string }>(
        `select event->>'type' as type from accounts.outbox where aggregate_id = $1 and sent_at is not null order by seq`, [client.id]);
      return rows.length === 3 ? rows.map((r) => r.type) : undefined;
    }, { what: 'three published events' });
    expect(types).toEqual(['accounts.client.created', 'accounts.client.deactivated', 'accounts.client.activated']);
  });

  it('publishes client.updated with the changed fields, never the admin notes', async () => {
    const { client } = await clientWithToken(stack, distributor.token);
    await call(stack.baseUrl, 'PATCH', `/v1/clients/${client.id}`, { token: distributor.token, body: { companyName: 'Renamed S.A.', adminNotes: 'private remark' } });
    const data = await waitFor(async () => {
      const rows = await stack.db.query<{ data: any }>(
        `select event->'data' as data from accounts.outbox where aggregate_id = $1 and event->>'type' = 'accounts.client.updated'`, [client.id]);
      return rows[0]?.data;
    }, { what: 'the update event' });
    expect(data).toMatchObject({ clientId: client.id, changedFields: ['companyName', 'adminNotes'], changes: { companyName: 'Renamed S.A.' }, version: 2 });
    expect(JSON.stringify(data)).not.toContain('private remark');
  });

  it('ends a relationship: the parent loses access at once, the account keeps working', async () => {
    const { client, token } = await clientWithToken(stack, distributor.token);
    const ended = await call(stack.baseUrl, 'DELETE', `/v1/clients/${client.id}/relationship`, { token: distributor.token });
    expect(ended.status).toBe(204);
    expect((await get(distributor.token, `/v1/clients/${client.id}`)).status).toBe(404);
    expect((await get(distributor.token, '/v1/clients?limit=200')).body.data.map((c: { id: string }) => c.id)).not.toContain(client.id);
    const own = await get(token, '/v1/account');
    expect(own.status).toBe(200);
    expect(own.body.id).toBe(client.id);
    // The name is free again under the former parent.
    const again = await call(stack.baseUrl, 'POST', '/v1/clients', { token: distributor.token, body: clientBody({ accountName: client.accountName }) });
    expect(again.status).toBe(201);
  });

  it('shows an account its own details without admin notes, and lets it change what is its own', async () => {
    const own = await get(customer.token, '/v1/account');
    expect(own.status).toBe(200);
    expect(own.body).not.toHaveProperty('adminNotes');
    expect(own.headers.get('etag')).toBe(`"${customer.client.id}.${own.body.version}"`);
    const notes = await call(stack.baseUrl, 'PATCH', '/v1/account', { token: customer.token, body: { adminNotes: 'mine now' } });
    expect(notes.status).toBe(400);
    expect(notes.body.errors).toEqual([{ field: 'adminNotes', message: 'adminNotes is not a known field' }]);
    const credit = await call(stack.baseUrl, 'PATCH', '/v1/account', { token: customer.token, body: { creditBalance: '1000000.00' } });
    expect(credit.status).toBe(400);
    const changed = await call(stack.baseUrl, 'PATCH', '/v1/account', {
      token: customer.token, body: { phone: '+390612345678', billingEmails: ['ap@customer.test'] }, headers: { 'if-match': own.headers.get('etag')! },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ phone: '+390612345678', billingEmails: ['ap@customer.test'] });
    expect(changed.body).not.toHaveProperty('adminNotes');
    const seenByParent = await get(reseller.token, `/v1/clients/${customer.client.id}`);
    expect(seenByParent.body).toMatchObject({ phone: '+390612345678', adminNotes: 'reseller notes on customer' });
  });

  it('lets concurrent updates without If-Match all land, one after the other', async () => {
    const { client } = await clientWithToken(stack, distributor.token);
    const answers = await Promise.all(
      ['One', 'Two', 'Three'].map((companyName) => call(stack.baseUrl, 'PATCH', `/v1/clients/${client.id}`, { token: distributor.token, body: { companyName } })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await get(distributor.token, `/v1/clients/${client.id}`)).body.version).toBe(4);
  });

  it('pages through a list exactly once while clients are being added', async () => {
    const parent = await partnerWithToken(stack);
    const names = Array.from({ length: 30 }, (_, i) => `P${String(i).padStart(2, '0')}`);
    for (const accountName of names) {
      expect((await call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body: clientBody({ accountName }) })).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const page: any = await get(parent.token, `/v1/clients?sort=accountName&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((c: { accountName: string }) => c.accountName));
      cursor = page.body.nextCursor;
      // Between pages, clients arrive before and after the current position.
      await Promise.all(
        ['a', 'b'].map((suffix) =>
          call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body: clientBody({ accountName: `P${String(inserted * 3).padStart(2, '0')}${suffix}` }) }),
        ),
      );
      inserted += 1;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(names.every((name) => seen.includes(name))).toBe(true);
    expect([...seen].sort()).toEqual(seen);
  });

  it('pages through every sort exactly once, in the order of the whole list', async () => {
    const parent = await partnerWithToken(stack);
    for (let i = 0; i < 11; i++) {
      const body = clientBody({ accountName: `S${(i * 7) % 11}`, ...(i % 3 === 0 ? { type: 'reseller' } : {}) });
      const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body });
      expect(created.status).toBe(201);
      if (i % 4 === 0) expect((await call(stack.baseUrl, 'POST', `/v1/clients/${created.body.id}/deactivate`, { token: parent.token })).status).toBe(200);
    }
    for (const sort of ['createdAt', '-createdAt', 'status', '-status', 'accountName', '-companyName']) {
      const whole: any = await get(parent.token, `/v1/clients?sort=${sort}&limit=100`);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await get(parent.token, `/v1/clients?sort=${sort}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.data.map((c: { id: string }) => c.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect({ sort, seen }).toEqual({ sort, seen: whole.body.data.map((c: { id: string }) => c.id) });
    }
  });

  it('answers 409 unique_identifier_taken for a legal identifier already used under the parent', async () => {
    const parent = await partnerWithToken(stack);
    const first = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body: clientBody({ uniqueIdentifier: 'ESB12345678' }) });
    expect(first.status).toBe(201);
    const again = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body: clientBody({ uniqueIdentifier: 'esb12345678' }) });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'unique_identifier_taken', errors: [{ field: 'uniqueIdentifier' }] });
  });

  it('filters by name prefix (account or company, any case), type and status, and sorts by status', async () => {
    const parent = await partnerWithToken(stack);
    const make = (accountName: string, companyName: string, extra: Record<string, unknown> = {}) =>
      call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body: clientBody({ accountName, companyName, ...extra }) });
    await make('acme-east', 'Acme East S.L.');
    await make('zeta', 'ACME West S.A.', { type: 'reseller' });
    await make('beta', 'Beta 100% S.A.', { active: false });
    await make('gamma', 'Gamma_Co');
    const names = async (query: string) =>
      (await get(parent.token, `/v1/clients?${query}`)).body.data.map((c: { accountName: string }) => c.accountName);
    expect(await names('q=acme&sort=accountName')).toEqual(['acme-east', 'zeta']);
    expect(await names('q=ACME%20w')).toEqual(['zeta']);
    expect(await names('q=beta%20100%25')).toEqual(['beta']);
    expect(await names('q=gamma_')).toEqual(['gamma']);
    expect(await names('q=%25')).toEqual([]);
    expect(await names('type=reseller')).toEqual(['zeta']);
    expect(await names('status=inactive')).toEqual(['beta']);
    expect((await names('sort=status'))[0]).not.toBe('beta');
    expect((await names('sort=-status'))[0]).toBe('beta');
    expect(await names('sort=-accountName')).toEqual(['zeta', 'gamma', 'beta', 'acme-east']);
  });

  it('keeps an account with clients from becoming a customer', async () => {
    const res = await call(stack.baseUrl, 'PATCH', `/v1/clients/${reseller.client.id}`, { token: distributor.token, body: { type: 'customer' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('type_change_not_allowed');
  });
});
