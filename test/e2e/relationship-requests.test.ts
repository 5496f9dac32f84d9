import type { ParsedMail } from 'mailparser';
import { call, startStack, waitFor, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(90_000);

const connectTokenOf = (mail: ParsedMail) => /\/relationship-requests\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1];

describe('invitations to connect (an existing account becomes a client)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ migrations });
  });
  afterAll(async () => stack?.close());

  it('e-mails an admin of the invited account, who accepts: the inviter becomes a parent', async () => {
    const reseller = await partnerWithToken(stack, { type: 'reseller', companyName: 'Nuovo Rivenditore S.r.l.' });
    const existing = await partnerWithToken(stack, { type: 'group', language: 'it' });
    const email = existing.body.owner.email as string;
    const created = await call(stack.baseUrl, 'POST', '/v1/relationship-requests', { token: reseller.token, body: { email, message: 'Lavoriamo insieme' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, status: 'pending', message: 'Lavoriamo insieme' });

    const mail = await stack.smtp.waitForMessage((m) => JSON.stringify(m.to).includes(email) && /collegarsi/.test(m.subject ?? ''), 'the invitation to connect');
    expect(mail.subject).toBe('Nuovo Rivenditore S.r.l. invita la tua azienda a collegarsi');
    expect(mail.text).toContain('Lavoriamo insieme');
    const token = connectTokenOf(mail);
    expect(mail.text).toContain(`${stack.baseUrl}/relationship-requests/${token}`);

    // Somebody else, signed in, cannot use the link; the inviter neither.
    const stranger = await partnerWithToken(stack);
    expect((await call(stack.baseUrl, 'POST', `/v1/relationship-requests/${token}/accept`, { token: stranger.token })).status).toBe(404);
    expect((await call(stack.baseUrl, 'POST', `/v1/relationship-requests/${token}/accept`, { token: reseller.token })).status).toBe(404);
    expect((await call(stack.baseUrl, 'POST', `/v1/relationship-requests/${token}/accept`)).status).toBe(401);

    const accepted = await call(stack.baseUrl, 'POST', `/v1/relationship-requests/${token}/accept`, { token: existing.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    const clients = await call(stack.baseUrl, 'GET', '/v1/clients', { token: reseller.token });
    expect(clients.body.data.map((c: { id: string }) => c.id)).toEqual([existing.partner.id]);
    // The link is written without the owner's status; the list still shows it (the database takes it from the owner).
    expect(clients.body.data[0].ownerStatus).toBe('active');
    const again = await call(stack.baseUrl, 'POST', `/v1/relationship-requests/${token}/decline`, { token: existing.token });
    expect(again.status).toBe(410);
    const listed = await call(stack.baseUrl, 'GET', '/v1/relationship-requests', { token: reseller.token });
    expect(listed.body.data.map((r: { status: string }) => r.status)).toEqual(['accepted']);
    const types = await waitFor(async () => {
      const rows = await stack.db.query<{ type: string }>(`select event->>'type' as type from accounts.outbox where aggregate_id = $1 order by seq`, [created.body.id]);
      return rows.length === 2 ? rows.map((r) => r.type) : undefined;
    }, { what: 'the request events' });
    expect(types).toEqual(['accounts.relationship.requested', 'accounts.relationship.accepted']);
  });

  it('lets the invited admin decline, and the inviter cancel a pending request', async () => {
    const reseller = await partnerWithToken(stack, { type: 'reseller' });
    const a = await partnerWithToken(stack);
    const b = await partnerWithToken(stack);
    await call(stack.baseUrl, 'POST', '/v1/relationship-requests', { token: reseller.token, body: { email: a.body.owner.email } });
    const toCancel = await call(stack.baseUrl, 'POST', '/v1/relationship-requests', { token: reseller.token, body: { email: b.body.owner.email } });
    const mail = await stack.smtp.waitForMessage((m) => JSON.stringify(m.to).includes(a.body.owner.email) && /to connect/.test(m.subject ?? ''), 'the invitation to connect');
    const declined = await call(stack.baseUrl, 'POST', `/v1/relationship-requests/${connectTokenOf(mail)}/decline`, { token: a.token });
    expect(declined.body.status).toBe('declined');
    expect((await call(stack.baseUrl, 'DELETE', `/v1/relationship-requests/${toCancel.body.id}`, { token: reseller.token })).status).toBe(204);
    expect((await call(stack.baseUrl, 'DELETE', `/v1/relationship-requests/${toCancel.body.id}`, { token: reseller.token })).status).toBe(410);
    expect((await call(stack.baseUrl, 'GET', '/v1/clients', { token: reseller.token })).body.data).toEqual([]);
    const statuses = (await call(stack.baseUrl, 'GET', '/v1/relationship-requests', { token: reseller.token })).body.data.map((r: { status: string }) => r.status);
    expect(statuses).toEqual(['declined', 'cancelled']);
  });

  it('refuses to make a loop: a client cannot become the parent of its own parent', async () => {
    const top = await partnerWithToken(stack, { type: 'distributor' });
    const email = `child-${Date.now()}@rr.test`;
    await call(stack.baseUrl, 'POST', '/v1/clients', {
      token: top.token, body: clientBody({ type: 'reseller', owner: { firstName: 'C', lastName: 'H', email, password: 'child reseller passphrase' } }),
    });
    const childToken = (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'child reseller passphrase' } })).body.accessToken;
    await call(stack.baseUrl, 'POST', '/v1/relationship-requests', { token: childToken, body: { email: top.body.owner.email } });
    const mail = await stack.smtp.waitForMessage((m) => JSON.stringify(m.to).includes(top.body.owner.email) && /to connect/.test(m.subject ?? ''), 'the invitation to connect');
    const res = await call(stack.baseUrl, 'POST', `/v1/relationship-requests/${connectTokenOf(mail)}/accept`, { token: top.token });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('already_connected');
  });

  it('refuses requests from customers, and sends no mail to addresses that are nobody', async () => {
    const parent = await partnerWithToken(stack);
    const email = `cust-${Date.now()}@rr.test`;
    await call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body: clientBody({ owner: { firstName: 'C', lastName: 'U', email, password: 'customer passphrase 1' } }) });
    const customerToken = (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'customer passphrase 1' } })).body.accessToken;
    expect((await call(stack.baseUrl, 'POST', '/v1/relationship-requests', { token: customerToken, body: { email: parent.body.owner.email } })).status).toBe(403);
    const nobody = await call(stack.baseUrl, 'POST', '/v1/relationship-requests', { token: parent.token, body: { email: 'nobody@nowhere.test' } });
    expect(nobody.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(stack.smtp.messages.some((m) => JSON.stringify(m.to).includes('nobody@nowhere.test'))).toBe(false);
    const page = await fetch(`${stack.baseUrl}/relationship-requests/anything`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Invitation to connect');
  });
});
