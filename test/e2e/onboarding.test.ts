import { connect } from 'nats';
import { call, invitationTokenOf, startStack, testEnvironment, waitFor, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(120_000);

describe('owner onboarding by e-mail', () => {
  let stack: Stack;
  let parent: { token: string; partner: any; body: any };
  const tokensSeen: string[] = [];

  beforeAll(async () => {
    stack = await startStack({
      migrations,
      env: { INVITATION_TTL: '8s', INVITATION_REMINDER_BEFORE: '4s', SWEEP_INTERVAL: '300ms' },
    });
    parent = await partnerWithToken(stack, { companyName: 'Acme Distribución S.L.' });
  });
  afterAll(async () => stack?.close());

  const createClient = async (overrides: Record<string, unknown> = {}) => {
    const body = clientBody(overrides);
    const res = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body });
    expect(res.status).toBe(201);
    return { client: res.body, email: body.owner.email as string };
  };
  const invitationTo = async (email: string, kind: RegExp = /./) => {
    const mail = await stack.smtp.waitForMessage((m) => m.to !== undefined && JSON.stringify(m.to).includes(email) && kind.test(m.subject ?? ''), `an e-mail to ${email}`);
    const token = invitationTokenOf(mail);
    tokensSeen.push(token);
    return { mail, token };
  };
  const getClient = (id: string) => call(stack.baseUrl, 'GET', `/v1/clients/${id}`, { token: parent.token });
  /** The owner's status as the parent's list shows it (a copy kept on the relationship row, not the owner's own row). */
  const listedOwnerStatus = async (id: string) => {
    const page = await call(stack.baseUrl, 'GET', '/v1/clients?limit=100', { token: parent.token });
    return page.body.data.find((c: { id: string }) => c.id === id)?.ownerStatus;
  };

  it('e-mails the owner a localized invitation naming the inviter, and the owner activates the account', async () => {
    const { client, email } = await createClient({ language: 'es' });
    expect(await listedOwnerStatus(client.id)).toBe('invited');
    const { mail, token } = await invitationTo(email);
    expect(mail.subject).toBe(`Acme Distribución S.L. te ha invitado a gestionar ${client.companyName}`);
    expect(mail.text).toContain(`${stack.baseUrl}/invitations/${token}`);
    expect(mail.text).toMatch(/Hola, Carla:/);
    expect(mail.html).toContain(`/invitations/${token}`);
    expect(`${mail.text}${mail.html}`).not.toMatch(/\{\{|\$\{|undefined|null/);

    const sent = (await getClient(client.id)).body.owner.invitation;
    expect(sent.status).toBe('sent');
    expect(new Date(sent.expiresAt).getTime() - new Date(sent.sentAt).getTime()).toBe(8_000);

    const preview = await call(stack.baseUrl, 'GET', `/v1/invitations/${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ accountName: client.accountName, invitedBy: 'Acme Distribución S.L.', expiresAt: sent.expiresAt });
    expect(preview.body.ownerEmail).toMatch(/^o\*\*\*.@client\.test$/);
    expect(preview.body.ownerEmail).not.toBe(email);

    const weak = await call(stack.baseUrl, 'POST', `/v1/invitations/${token}/accept`, { body: { password: 'password1234' } });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ code: 'weak_password', errors: [{ field: 'password', message: 'password is one of the most common passwords; choose another' }] });
    const short = await call(stack.baseUrl, 'POST', `/v1/invitations/${token}/accept`, { body: { password: 'short' } });
    expect(short.status).toBe(400);

    const accepted = await call(stack.baseUrl, 'POST', `/v1/invitations/${token}/accept`, { body: { password: 'a long and unusual passphrase' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const own = await call(stack.baseUrl, 'GET', '/v1/account', { token: accepted.body.accessToken });
    expect(own.body.id).toBe(client.id);
    const signIn = await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'a long and unusual passphrase' } });
    expect(signIn.status).toBe(200);

    const again = await call(stack.baseUrl, 'POST', `/v1/invitations/${token}/accept`, { body: { password: 'another long passphrase' } });
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('invitation_used');
    expect((await getClient(client.id)).body.owner).toMatchObject({ status: 'active', invitation: { status: 'accepted' } });
    expect(await listedOwnerStatus(client.id)).toBe('active');
  });

  it('lets exactly one of ten concurrent accepts win', async () => {
    const { email } = await createClient();
    const { token } = await invitationTo(email);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(stack.baseUrl, 'POST', `/v1/invitations/${token}/accept`, { body: { password: `racing passphrase number ${i}` } })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(9);
    const winner = answers.findIndex((a) => a.status === 200);
    const signIn = await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: `racing passphrase number ${winner}` } });
    expect(signIn.status).toBe(200);
  });

  it('answers 404 for an unknown link and serves the activation page', async () => {
    expect((await call(stack.baseUrl, 'GET', '/v1/invitations/not-a-real-token')).status).toBe(404);
    const page = await fetch(`${stack.baseUrl}/invitations/anything`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<label for="password">');
    expect((await fetch(`${stack.baseUrl}/assets/invitation.js`)).status).toBe(200);
  });

  it('sends a scheduled invitation not before its time', async () => {
    const sendAt = new Date(Date.now() + 4_000).toISOString();
    const { client, email } = await createClient({ invitation: { send: 'scheduled', sendAt } });
    expect(client.owner.invitation).toMatchObject({ status: 'scheduled', sendAt, sentAt: null });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(stack.smtp.messages.some((m) => JSON.stringify(m.to).includes(email))).toBe(false);
    const { mail } = await invitationTo(email);
    expect(mail.date!.getTime()).toBeGreaterThanOrEqual(new Date(sendAt).getTime() - 1_000);
  });

  it('reminds, then expires an unaccepted invitation and removes the owner; a resend restores them with a new link', async () => {
    const { client, email } = await createClient({ language: 'pt-BR' });
    const first = await invitationTo(email, /convidou/);
    expect(first.mail.subject).toContain('Acme Distribución S.L. convidou você');
    const reminder = await invitationTo(email, /^Lembrete/);
    expect(reminder.mail.text).toContain('expira em');
    await waitFor(async () => (await getClient(client.id)).body.owner.status === 'removed', { timeoutMs: 20_000, what: 'the owner to be removed' });
    const after = (await getClient(client.id)).body.owner;
    expect(after.invitation.status).toBe('expired');
    expect(await listedOwnerStatus(client.id)).toBe('removed');
    const expiredPreview = await call(stack.baseUrl, 'GET', `/v1/invitations/${reminder.token}`);
    expect(expiredPreview.status).toBe(410);
    expect(expiredPreview.body.code).toBe('invitation_expired');
    const types = await stack.db.query<{ type: string }>(
      `select event->>'type' as type from accounts.outbox where aggregate_id = $1 order by seq`, [client.id]);
    expect(types.map((t) => t.type)).toEqual([
      'accounts.client.created', 'accounts.owner.invited', 'accounts.owner.invitation-expired', 'accounts.owner.removed',
    ]);

    const resent = await call(stack.baseUrl, 'POST', `/v1/clients/${client.id}/invitation/resend`, { token: parent.token });
    expect(resent.status).toBe(202);
    expect(resent.body.owner.status).toBe('invited');
    expect(await listedOwnerStatus(client.id)).toBe('invited');
    const fresh = await waitFor(async () => {
      const mails = stack.smtp.messages.filter((m) => JSON.stringify(m.to).includes(email) && /convidou/.test(m.subject ?? ''));
      return mails.length === 2 ? mails[1] : undefined;
    }, { what: 'the resent invitation' });
    const token = invitationTokenOf(fresh);
    tokensSeen.push(token);
    expect(token).not.toBe(first.token);
    expect((await call(stack.baseUrl, 'GET', `/v1/invitations/${first.token}`)).status).toBe(404);
    expect((await call(stack.baseUrl, 'POST', `/v1/invitations/${token}/accept`, { body: { password: 'restored owner passphrase' } })).status).toBe(200);
    expect(await listedOwnerStatus(client.id)).toBe('active');
  });

  it('revokes a pending invitation: its link answers 410', async () => {
    const { client, email } = await createClient({ language: 'it' });
    const { mail, token } = await invitationTo(email);
    expect(mail.subject).toBe(`Acme Distribución S.L. ti ha invitato a gestire ${client.companyName}`);
    expect((await call(stack.baseUrl, 'DELETE', `/v1/clients/${client.id}/invitation`, { token: parent.token })).status).toBe(204);
    const res = await call(stack.baseUrl, 'POST', `/v1/invitations/${token}/accept`, { body: { password: 'too late passphrase' } });
    expect(res.status).toBe(410);
    expect(res.body.code).toBe('invitation_revoked');
    expect((await call(stack.baseUrl, 'DELETE', `/v1/clients/${client.id}/invitation`, { token: parent.token })).status).toBe(409);
  });

  it('keeps sending through an SMTP outage: the e-mail goes out once when the server is back', async () => {
    stack.smtp.failing = true;
    const { client, email } = await createClient();
    await waitFor(async () => {
      const log = await call(stack.baseUrl, 'GET', `/v1/clients/${client.id}/emails`, { token: parent.token });
      return log.body.data[0]?.attempts >= 1 && log.body.data[0]?.status === 'queued' && log.body.data[0]?.lastError;
    }, { what: 'a failed attempt in the delivery log' });
    stack.smtp.failing = false;
    await invitationTo(email);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(stack.smtp.messages.filter((m) => JSON.stringify(m.to).includes(email))).toHaveLength(1);
    const log = await call(stack.baseUrl, 'GET', `/v1/clients/${client.id}/emails`, { token: parent.token });
    expect(log.body.data[0]).toMatchObject({ template: 'invitation', recipient: email, status: 'sent' });
    expect(log.body.data[0].attempts).toBeGreaterThanOrEqual(2);
    const stranger = await partnerWithToken(stack);
    expect((await call(stack.baseUrl, 'GET', `/v1/clients/${client.id}/emails`, { token: stranger.token })).status).toBe(404);
  });

  it('does not let one slow SMTP answer hold back the e-mails queued after it', async () => {
    const release = stack.smtp.hold();
    const owners: string[] = [];
    try {
      owners.push((await createClient()).email);
      await waitFor(async () => stack.smtp.waiting >= 1, { what: 'the first invitation to wait on SMTP' });
      // While the first batch waits on its answer, the next ones are claimed and handed to other connections.
      for (let i = 0; i < 60; i++) owners.push((await createClient()).email);
      await waitFor(async () => stack.smtp.waiting >= 40, { timeoutMs: 8_000, what: 'the later invitations to reach SMTP beside the first' });
    } finally {
      release();
    }
    await waitFor(async () => owners.every((email) => stack.smtp.messages.some((m) => JSON.stringify(m.to).includes(email))), { what: 'every invitation to arrive' });
    for (const email of owners) expect(stack.smtp.messages.filter((m) => JSON.stringify(m.to).includes(email))).toHaveLength(1);
  });

  it('never puts an invitation token on the event stream', async () => {
    expect(tokensSeen.length).toBeGreaterThan(3);
    const nc = await connect({ servers: testEnvironment.natsUrl });
    try {
      const jsm = await nc.jetstreamManager();
      const stream = `${stack.prefix.toUpperCase()}_ACCOUNTS`;
      const info = await jsm.streams.info(stream);
      let all = '';
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) all += new TextDecoder().decode((await jsm.streams.getMessage(stream, { seq })).data);
      for (const token of tokensSeen) expect(all).not.toContain(token);
      expect(all).not.toMatch(/token_?hash|argon2/i);
    } finally {
      await nc.close();
    }
  });
});
