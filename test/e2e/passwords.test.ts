import { call, startStack, type Stack } from '@clientele/testing';
import type { ParsedMail } from 'mailparser';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(90_000);

const resetTokenOf = (mail: ParsedMail) => /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1];

describe('password flows', () => {
  let stack: Stack;
  let parent: { token: string; partner: any; body: any };

  beforeAll(async () => {
    stack = await startStack({ migrations });
    parent = await partnerWithToken(stack, { companyName: 'Reseller Uno S.r.l.' });
  });
  afterAll(async () => stack?.close());

  const mailTo = (email: string, subject: RegExp) =>
    stack.smtp.waitForMessage((m) => JSON.stringify(m.to).includes(email) && subject.test(m.subject ?? ''), `${subject} to ${email}`);

  it('asks an owner created with a password to choose their own, through a one-time link', async () => {
    const email = `owner-${Date.now()}@pw.test`;
    const body = clientBody({ language: 'it', owner: { firstName: 'Gianni', lastName: 'R', email, password: 'chosen by the partner 1' } });
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token: parent.token, body });
    expect(created.body.owner).toMatchObject({ status: 'active', invitation: null });
    const mail = await mailTo(email, /password/);
    expect(mail.subject).toBe(`Scegli la tua password per ${body.companyName}`);
    const token = resetTokenOf(mail);
    expect(mail.text).toContain(`${stack.baseUrl}/password-reset/${token}`);
    // The partner's password works until the owner chooses one; then only the owner's.
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'chosen by the partner 1' } })).status).toBe(200);
    const set = await call(stack.baseUrl, 'POST', `/v1/auth/password-reset/${token}`, { body: { password: 'my very own passphrase' } });
    expect(set.status).toBe(200);
    expect(set.body.tokenType).toBe('Bearer');
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'chosen by the partner 1' } })).status).toBe(401);
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'my very own passphrase' } })).status).toBe(200);
    const reuse = await call(stack.baseUrl, 'POST', `/v1/auth/password-reset/${token}`, { body: { password: 'another own passphrase' } });
    expect(reuse.status).toBe(410);
    expect(reuse.body.code).toBe('reset_link_used');
  });

  it('answers 202 alike for known and unknown addresses, and e-mails a reset link only to the known one', async () => {
    const email = parent.body.owner.email as string;
    const known = await call(stack.baseUrl, 'POST', '/v1/auth/password-reset', { body: { email: email.toUpperCase() } });
    const unknown = await call(stack.baseUrl, 'POST', '/v1/auth/password-reset', { body: { email: 'nobody-at-all@pw.test' } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.text).toBe(known.text);
    const mail = await mailTo(email, /^Reset your password/);
    expect(mail.subject).toBe('Reset your password for Reseller Uno S.r.l.');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(stack.smtp.messages.some((m) => JSON.stringify(m.to).includes('nobody-at-all@pw.test'))).toBe(false);
    const weak = await call(stack.baseUrl, 'POST', `/v1/auth/password-reset/${resetTokenOf(mail)}`, { body: { password: 'qwertyuiop123' } });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('weak_password');
    const reset = await call(stack.baseUrl, 'POST', `/v1/auth/password-reset/${resetTokenOf(mail)}`, { body: { password: 'partner owner new passphrase' } });
    expect(reset.status).toBe(200);
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: parent.body.owner.password } })).status).toBe(401);
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'partner owner new passphrase' } })).status).toBe(200);
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/password-reset/unknown-token', { body: { password: 'whatever passphrase' } })).status).toBe(404);
    expect((await call(stack.baseUrl, 'POST', '/v1/auth/password-reset', { body: { email: 'not an address' } })).status).toBe(400);
  });
});
