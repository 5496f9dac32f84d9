import { call, startStack, waitFor, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(90_000);

describe('service plans, licences and idempotent POSTs', () => {
  let stack: Stack;
  let parent: { token: string; partner: any };

  beforeAll(async () => {
    stack = await startStack({ migrations });
    parent = await partnerWithToken(stack);
  });
  afterAll(async () => stack?.close());

  const post = (path: string, body: unknown, token = parent.token, headers: Record<string, string> = {}) =>
    call(stack.baseUrl, 'POST', path, { token, body, headers });
  const plan = async (name: string) => (await post('/v1/service-plans', { name, product: `${name} product`, unitType: 'user' })).body;

  describe('the plan catalogue', () => {
    it('creates, lists, reads, renames and retires plans; names are unique ignoring case', async () => {
      const created = await post('/v1/service-plans', { name: 'Backup 1TB', product: 'Cloud Backup', unitType: 'TB' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Backup 1TB', product: 'Cloud Backup', unitType: 'TB', active: true, version: 1 });
      expect((await post('/v1/service-plans', { name: 'backup 1tb', product: 'x', unitType: 'TB' })).body.code).toBe('service_plan_name_taken');
      const renamed = await call(stack.baseUrl, 'PATCH', `/v1/service-plans/${created.body.id}`, {
        token: parent.token, body: { name: 'Backup 2TB', active: false }, headers: { 'if-match': `"${created.body.id}.1"` },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Backup 2TB', active: false, version: 2 });
      const inactive = await call(stack.baseUrl, 'GET', '/v1/service-plans?active=false', { token: parent.token });
      expect(inactive.body.data.map((p: { id: string }) => p.id)).toContain(created.body.id);
      const other = await partnerWithToken(stack);
      expect((await call(stack.baseUrl, 'GET', `/v1/service-plans/${created.body.id}`, { token: other.token })).status).toBe(404);
      expect((await call(stack.baseUrl, 'GET', '/v1/service-plans', { token: other.token })).body.data).toEqual([]);
    });
  });

  describe('licences', () => {
    it('assigns plans at creation and later, changes units, ends them, with events in order', async () => {
      const basic = await plan(`Basic ${Date.now()}`);
      const created = await post('/v1/clients', clientBody({ servicePlans: [{ planId: basic.id, units: 5, startDate: '2026-12-01' }] }));
      expect(created.status).toBe(201);
      expect(created.body.servicePlans).toEqual([expect.objectContaining({ planId: basic.id, units: 5, startDate: '2026-12-01', status: 'active' })]);
      const clientId = created.body.id;

      const assigned = await post(`/v1/clients/${clientId}/licenses`, { planId: basic.id, units: 2, startDate: '2027-01-01' });
      expect(assigned.status).toBe(201);
      expect(assigned.body).toMatchObject({ clientId, planId: basic.id, plan: { name: basic.name, unitType: 'user' }, units: 2, status: 'active' });
      const changed = await call(stack.baseUrl, 'PATCH', `/v1/clients/${clientId}/licenses/${assigned.body.id}`, { token: parent.token, body: { units: 12 } });
      expect(changed.body).toMatchObject({ units: 12, version: 2 });
      const ended = await call(stack.baseUrl, 'DELETE', `/v1/clients/${clientId}/licenses/${assigned.body.id}`, { token: parent.token });
      expect(ended.status).toBe(204);
      const active = await call(stack.baseUrl, 'GET', `/v1/clients/${clientId}/licenses`, { token: parent.token });
      expect(active.body.data).toHaveLength(1);
      const endedList = await call(stack.baseUrl, 'GET', `/v1/clients/${clientId}/licenses?status=ended`, { token: parent.token });
      expect(endedList.body.data.map((l: { id: string }) => l.id)).toEqual([assigned.body.id]);

      const types = await waitFor(async () => {
        const rows = await stack.db.query<{ type: string }>(
          `select event->>'type' as type from accounts.outbox where aggregate_id = $1 and sent_at is not null order by seq`, [assigned.body.id]);
        return rows.length === 3 ? rows.map((r) => r.type) : undefined;
      }, { what: 'the licence events' });
      expect(types).toEqual(['accounts.license.assigned', 'accounts.license.changed', 'accounts.license.ended']);
    });

    it('refuses plans outside the parent’s active catalogue, and bad units or dates', async () => {
      const client = (await post('/v1/clients', clientBody())).body;
      const other = await partnerWithToken(stack);
      const foreign = (await post('/v1/service-plans', { name: 'Foreign', product: 'x', unitType: 'user' }, other.token)).body;
      const retired = await plan(`Retired ${Date.now()}`);
      await call(stack.baseUrl, 'PATCH', `/v1/service-plans/${retired.id}`, { token: parent.token, body: { active: false } });
      for (const planId of [foreign.id, retired.id, '00000000-0000-7000-8000-000000000000']) {
        const res = await post(`/v1/clients/${client.id}/licenses`, { planId, units: 1, startDate: '2026-12-01' });
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ code: 'service_plan_not_found', errors: [{ field: 'planId' }] });
      }
      const bad = await post(`/v1/clients/${client.id}/licenses`, { planId: 'nope', units: 0, startDate: '2026-02-30' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['planId', 'startDate', 'units']);
      const atCreation = await post('/v1/clients', clientBody({ servicePlans: [{ planId: foreign.id, units: 1, startDate: '2026-12-01' }] }));
      expect(atCreation.status).toBe(422);
      expect(atCreation.body.errors).toEqual([expect.objectContaining({ field: 'servicePlans.0.planId' })]);
    });

    it('lets ancestors read licences but only the parent change them', async () => {
      const basic = await plan(`Tiered ${Date.now()}`);
      const email = `reseller-${Date.now()}@lic.test`;
      const reseller = (await post('/v1/clients', clientBody({ type: 'reseller', owner: { firstName: 'R', lastName: 'S', email, password: 'reseller password 1' } }))).body;
      const resellerToken = (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'reseller password 1' } })).body.accessToken;
      const resellerPlan = (await post('/v1/service-plans', { name: 'R plan', product: 'x', unitType: 'seat' }, resellerToken)).body;
      const customer = (await post('/v1/clients', clientBody({ servicePlans: [{ planId: resellerPlan.id, units: 3, startDate: '2026-12-01' }] }), resellerToken)).body;
      const read = await call(stack.baseUrl, 'GET', `/v1/clients/${customer.id}/licenses`, { token: parent.token });
      expect(read.status).toBe(200);
      expect(read.body.data).toHaveLength(1);
      const assign = await post(`/v1/clients/${customer.id}/licenses`, { planId: basic.id, units: 1, startDate: '2026-12-01' });
      expect(assign.status).toBe(403);
      const stranger = await partnerWithToken(stack);
      expect((await call(stack.baseUrl, 'GET', `/v1/clients/${customer.id}/licenses`, { token: stranger.token })).status).toBe(404);
      expect(reseller.type).toBe('reseller');
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer, status and body, for the same key and body', async () => {
      const body = clientBody();
      const first = await post('/v1/clients', body, parent.token, { 'idempotency-key': 'create-1' });
      const again = await post('/v1/clients', body, parent.token, { 'idempotency-key': 'create-1' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      const count = await stack.db.query<{ n: string }>('select count(*) as n from accounts.account where account_name = $1', [body.accountName]);
      expect(count[0].n).toBe('1');
    });

    it('answers 422 idempotency_key_reused for the same key with another body', async () => {
      await post('/v1/clients', clientBody(), parent.token, { 'idempotency-key': 'create-2' });
      const res = await post('/v1/clients', clientBody(), parent.token, { 'idempotency-key': 'create-2' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('idempotency_key_reused');
    });

    it('replays a refusal too, and keeps keys apart between callers', async () => {
      const taken = clientBody();
      await post('/v1/clients', taken);
      const dup = { ...clientBody(), accountName: taken.accountName };
      const refused = await post('/v1/clients', dup, parent.token, { 'idempotency-key': 'create-3' });
      const replayed = await post('/v1/clients', dup, parent.token, { 'idempotency-key': 'create-3' });
      expect(refused.status).toBe(409);
      expect(replayed.status).toBe(409);
      expect(replayed.body.code).toBe('account_name_taken');
      const other = await partnerWithToken(stack);
      const sameKeyOtherCaller = await post('/v1/clients', dup, other.token, { 'idempotency-key': 'create-3' });
      expect(sameKeyOtherCaller.status).toBe(201);
    });

    it('runs a burst of the same request once: one creation, the others replay it or are told it is in flight', async () => {
      const body = clientBody();
      const answers = await Promise.all(Array.from({ length: 8 }, () => post('/v1/clients', body, parent.token, { 'idempotency-key': 'burst-1' })));
      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect(statuses).toContain(201);
      const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id));
      expect(ids.size).toBe(1);
      for (const conflict of answers.filter((a) => a.status === 409)) expect(conflict.body.code).toBe('idempotency_key_in_use');
      const count = await stack.db.query<{ n: string }>('select count(*) as n from accounts.account where account_name = $1', [body.accountName]);
      expect(count[0].n).toBe('1');
      const later = await post('/v1/clients', body, parent.token, { 'idempotency-key': 'burst-1' });
      expect(later.status).toBe(201);
      expect(later.body.id).toBe([...ids][0]);
    });

    it('rejects an over-long key', async () => {
      const res = await post('/v1/clients', clientBody(), parent.token, { 'idempotency-key': 'k'.repeat(256) });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 characters on one line' }]);
    });
  });
});
