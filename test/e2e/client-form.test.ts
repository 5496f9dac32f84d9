import { call, startStack, type Stack } from '@clientele/testing';
import { clientBody, fingerprint, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(120_000);

const REQUIRED = "is required by your account's settings";
const EMPTY = { required: [], defaults: {} };

/**
 * A partner's client form (seed 003) over HTTP: what it accepts, and what it
 * then does to creating and patching the partner's clients.
 */
describe('the client form: GET/PUT /v1/account/client-form', () => {
  let stack: Stack;
  let token: string;

  const form = (method: 'GET' | 'PUT', as: string, body?: unknown) => call(stack.baseUrl, method, '/v1/account/client-form', { token: as, body });
  const createClient = (as: string, overrides: Record<string, unknown> = {}) =>
    call(stack.baseUrl, 'POST', '/v1/clients', { token: as, body: clientBody({ invitation: { send: 'none' }, ...overrides }) });
  const patchClient = (as: string, id: string, body: unknown) => call(stack.baseUrl, 'PATCH', `/v1/clients/${id}`, { token: as, body });
  const fieldErrors = (res: { body: { errors?: { field: string; message: string }[] } }) => res.body.errors;

  beforeAll(async () => {
    stack = await startStack({ migrations });
    ({ token } = await partnerWithToken(stack));
  });
  afterAll(async () => stack?.close());

  it('is empty at first', async () => {
    const res = await form('GET', token);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(EMPTY);
  });

  it('refuses a field path the client form does not have, naming it, and changes nothing', async () => {
    const before = await fingerprint(stack);

    const res = await form('PUT', token, { required: ['phone', 'faxNumber'] });

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
    expect(fieldErrors(res)).toEqual([{ field: 'required', message: expect.stringContaining('"faxNumber"') }]);
    expect(await fingerprint(stack)).toBe(before);
    expect((await form('GET', token)).body).toEqual(EMPTY);
  });

  it('refuses a path named twice, an invalid default and unknown keys', async () => {
    const twice = await form('PUT', token, { required: ['phone', 'phone'] });
    const invalid = await form('PUT', token, { defaults: { language: '!!', currency: 'EURO', settings: { taxExempt: 'yes' } } });
    const unknown = await form('PUT', token, { defaults: { phone: '+34911234567' }, optional: [] });

    expect(twice.status).toBe(400);
    expect(fieldErrors(invalid)!.map((e) => e.field)).toEqual(['defaults.language', 'defaults.currency', 'defaults.settings.taxExempt']);
    expect(fieldErrors(unknown)!.map((e) => e.field).sort()).toEqual(['defaults.phone', 'optional']);
  });

  it('answers the saved form to a PUT, and GET answers the same', async () => {
    const put = await form('PUT', token, { required: ['phone', 'settings.paymentMethod'], defaults: { language: 'pt-br', currency: 'eur', settings: { taxExempt: true } } });

    const saved = { required: ['phone', 'settings.paymentMethod'], defaults: { language: 'pt-BR', currency: 'EUR', settings: { taxExempt: true } } };
    expect(put.status).toBe(200);
    expect(put.body).toEqual(saved);
    expect((await form('GET', token)).body).toEqual(saved);
  });

  it('refuses a create without the required fields, naming each with the same message', async () => {
    const { token: own } = await partnerWithToken(stack);
    await form('PUT', own, { required: ['phone', 'address.postalCode', 'billingEmails', 'settings.clientGroup'] });
    const before = await fingerprint(stack);

    const res = await createClient(own, { billingEmails: [], settings: { taxExempt: true } });

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(fieldErrors(res)).toEqual([
      { field: 'phone', message: REQUIRED },
      { field: 'address.postalCode', message: REQUIRED },
      { field: 'billingEmails', message: REQUIRED },
      { field: 'settings.clientGroup', message: REQUIRED },
    ]);
    expect(await fingerprint(stack)).toBe(before);

    const complete = await createClient(own, {
      phone: '+34911234567',
      billingEmails: ['billing@client.test'],
      address: { country: 'IT', region: 'Lazio', city: 'Roma', postalCode: '00184' },
      settings: { clientGroup: 'vip' },
    });
    expect(complete.status).toBe(201);
  });

  it('fills absent fields from the defaults, and given values win', async () => {
    const { token: own } = await partnerWithToken(stack);
    await form('PUT', own, { required: ['language', 'settings.paymentMethod'], defaults: { language: 'es', currency: 'EUR', settings: { paymentMethod: 'sepa', taxExempt: true } } });

    const filled = await createClient(own);
    const given = await createClient(own, { language: 'it', currency: 'GBP', settings: { paymentMethod: 'card', taxExempt: false } });

    expect(filled.status).toBe(201);
    expect(filled.body).toMatchObject({ language: 'es', currency: 'EUR', settings: { paymentMethod: 'sepa', taxExempt: true } });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ language: 'it', currency: 'GBP', settings: { paymentMethod: 'card', taxExempt: false } });
  });

  it('refuses a PATCH that sets a required field to null, and lets a client made before the rule change its other fields', async () => {
    const { token: own } = await partnerWithToken(stack);
    const earlier = await createClient(own, { phone: '+34911234567' });
    await form('PUT', own, { required: ['phone', 'adminNotes'] });
    const before = await fingerprint(stack);

    const cleared = await patchClient(own, earlier.body.id, { phone: null, companyName: 'Renamed S.p.A.' });

    expect(cleared.status).toBe(400);
    expect(fieldErrors(cleared)).toEqual([{ field: 'phone', message: REQUIRED }]);
    expect(await fingerprint(stack)).toBe(before);

    // It never had admin notes; that does not stop other changes.
    const renamed = await patchClient(own, earlier.body.id, { companyName: 'Renamed S.p.A.' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ companyName: 'Renamed S.p.A.', phone: '+34911234567', adminNotes: null });
  });

  it('works with an API key as with a user, and records the change as an event', async () => {
    const { token: own, partner } = await partnerWithToken(stack);
    const key = await call(stack.baseUrl, 'POST', '/v1/api-keys', { token: own, body: { name: 'form' } });

    const put = await form('PUT', key.body.key, { required: ['uniqueIdentifier'] });

    expect(put.status).toBe(200);
    expect((await form('GET', own)).body).toEqual({ required: ['uniqueIdentifier'], defaults: {} });
    const events = await stack.db.query<{ event: { type: string; data: unknown } }>(
      `select event from accounts.outbox where aggregate_id = $1 and event->>'type' = 'accounts.client-form.updated'`,
      [partner.id],
    );
    expect(events.map((e) => e.event.data)).toEqual([{ accountId: partner.id, required: ['uniqueIdentifier'], defaults: {}, version: 2 }]);
  });

  it('refuses a customer account, which may not have clients, with 403; the operator and strangers to auth get 401', async () => {
    const email = `customer-${Date.now()}@client.test`;
    await createClient(token, { phone: '+34911234567', settings: { paymentMethod: 'sepa' }, owner: { firstName: 'C', lastName: 'U', email, password: 'customer owner passphrase' } });
    const customer = (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'customer owner passphrase' } })).body.accessToken;

    expect((await form('PUT', customer, { required: ['phone'] })).status).toBe(403);
    expect((await form('GET', customer)).body).toEqual(EMPTY);
    expect((await form('PUT', stack.operatorToken, { required: [] })).status).toBe(401);
    expect((await call(stack.baseUrl, 'GET', '/v1/account/client-form')).status).toBe(401);
  });

  it('is described in the OpenAPI document: what it does to creates, patches and imports, and the 403', async () => {
    const doc = (await call(stack.baseUrl, 'GET', '/docs/openapi.json')).body;
    const put = doc.paths['/v1/account/client-form'].put;

    expect(put.responses).toHaveProperty('403');
    expect(put.description).toContain(REQUIRED);
    expect(put.description).toContain('/v1/client-imports');
    expect(put.description).toContain('PATCH /v1/clients/{id}');
    expect(doc.paths['/v1/account/client-form'].get).toBeDefined();
  });
});
