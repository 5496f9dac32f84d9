import { call, startStack, waitFor, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(120_000);

describe('two notifications replicas and two accounts replicas', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ migrations, env: { INVITATION_TTL: '4s', INVITATION_REMINDER_BEFORE: '0', SWEEP_INTERVAL: '200ms' } });
    await stack.startReplica('notifications');
    await stack.startReplica('accounts');
  });
  afterAll(async () => stack?.close());

  it('sends each invitation once and expires each once', async () => {
    const { token } = await partnerWithToken(stack);
    const clients = [];
    for (let i = 0; i < 12; i++) {
      const res = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody() });
      expect(res.status).toBe(201);
      clients.push(res.body);
    }
    const emails = clients.map((c) => c.owner.email);
    await waitFor(async () => emails.every((e) => stack.smtp.messages.some((m) => JSON.stringify(m.to).includes(e))), { what: 'every invitation' });
    await waitFor(
      async () => {
        const rows = await stack.db.query<{ n: string }>(`select count(*) as n from accounts."user" where status = 'removed'`);
        return rows[0].n === String(clients.length);
      },
      { timeoutMs: 30_000, what: 'every owner to be removed' },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    for (const email of emails) {
      expect(stack.smtp.messages.filter((m) => JSON.stringify(m.to).includes(email))).toHaveLength(1);
    }
    const expired = await stack.db.query<{ subject: string; n: string }>(
      `select event->>'subject' as subject, count(*) as n from accounts.outbox where event->>'type' = 'accounts.owner.invitation-expired' group by 1`,
    );
    expect(expired).toHaveLength(clients.length);
    expect(expired.every((row) => row.n === '1')).toBe(true);
    const handled = await stack.db.query<{ n: string }>(
      `select count(*) as n from notifications.email where status = 'sent' and kind = 'invitation'`,
    );
    expect(Number(handled[0].n)).toBe(clients.length);
  });
});
