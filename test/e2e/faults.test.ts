import { Client } from 'pg';
import { call, startPrivateNats, startStack, waitFor, type PrivateNats, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(120_000);

/**
 * The faults a first fault run found, each kept fixed: an idempotent answer
 * commits with its change, a dead holder frees its key at once, a lost
 * database is a 503 that recovers by itself, and an e-mail SMTP accepted is
 * recorded once the database is back instead of going out again.
 */
describe('faults: answers commit with their change, a lost database is a 503', () => {
  let stack: Stack;
  let nats: PrivateNats;
  let token: string;
  const post = (body: unknown, key: string) =>
    call(stack.baseUrl, 'POST', '/v1/clients', { token, body, headers: { 'idempotency-key': key } });
  const clientsNamed = async (name: string) =>
    Number((await stack.db.query<{ n: string }>('select count(*) as n from accounts.account where account_name = $1', [name]))[0].n);

  beforeAll(async () => {
    // A NATS server of the test's own, so that it can be taken away.
    nats = await startPrivateNats();
    stack = await startStack({ migrations, databaseProxy: true, natsUrl: nats.url, env: { REQUEST_TIMEOUT: '3s' } });
    ({ token } = await partnerWithToken(stack));
  });
  afterAll(async () => {
    await stack?.close();
    await nats?.dispose();
  });

  it('changes nothing when the answer cannot be stored, and the retry with the same key creates the client once', async () => {
    await stack.db.query(`
      create function accounts.refuse_key() returns trigger language plpgsql as $$
        begin raise exception 'storing idempotency keys is broken'; end $$;
      create trigger refuse_key before insert or update on accounts.idempotency_key
        for each row when (new.reply is not null) execute function accounts.refuse_key()`);
    const body = clientBody();
    const failed = await post(body, 'atomic-1');
    await stack.db.query('drop trigger refuse_key on accounts.idempotency_key; drop function accounts.refuse_key()');
    expect(failed.status).toBe(500);
    expect(await clientsNamed(body.accountName)).toBe(0);
    const outbox = await stack.db.query(`select 1 from accounts.outbox where event->'data'->>'accountName' = $1`, [body.accountName]);
    expect(outbox).toHaveLength(0);

    const retried = await post(body, 'atomic-1');
    expect(retried.status).toBe(201);
    const replayed = await post(body, 'atomic-1');
    expect(replayed.status).toBe(201);
    expect(replayed.body.id).toBe(retried.body.id);
    expect(await clientsNamed(body.accountName)).toBe(1);
  });

  it('frees a key the moment the process holding it dies: the retry is answered at once, and creates once', async () => {
    const body = clientBody();
    // Inserts wait behind this lock: the create holds its key, mid-transaction, when accounts is killed.
    const blocker = new Client({ connectionString: stack.db.url });
    await blocker.connect();
    await blocker.query('begin; lock table accounts.account in share row exclusive mode');
    const inFlight = post(body, 'held-1');
    try {
      await waitFor(
        async () => (await stack.db.query(`select 1 from pg_locks where locktype = 'advisory' and granted`)).length > 0,
        { what: 'the create to hold its key' },
      );
      const meanwhile = await post(body, 'held-1');
      expect(meanwhile.status).toBe(409);
      expect(meanwhile.body.code).toBe('idempotency_key_in_use');
      await stack.stop('accounts', 'SIGKILL');
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    expect((await inFlight).status).toBeGreaterThanOrEqual(500);
    await stack.start('accounts');
    const restarted = Date.now();
    const retry = await waitFor(
      async () => {
        const answer = await post(body, 'held-1');
        return answer.status === 409 ? undefined : answer;
      },
      { timeoutMs: 10_000, intervalMs: 250, what: 'the key to be free' },
    );
    expect(retry.status).toBe(201);
    expect(Date.now() - restarted).toBeLessThan(5_000);
    expect(await clientsNamed(body.accountName)).toBe(1);
  });

  it('answers 503 problem details with Retry-After while PostgreSQL is cut off, is not ready, and recovers without a restart', async () => {
    const pids = [stack.pid('accounts'), stack.pid('notifications'), stack.pid('gateway')];
    const body = clientBody();
    await stack.dbProxy!.cut();
    try {
      const list = await call(stack.baseUrl, 'GET', '/v1/clients', { token });
      expect(list.status).toBe(503);
      expect(list.headers.get('content-type')).toContain('application/problem+json');
      expect(list.headers.get('retry-after')).toBe('1');
      expect(list.body).toMatchObject({ status: 503, code: 'service_unavailable' });
      const create = await post(body, 'cut-1');
      expect(create.status).toBe(503);
      for (const port of [stack.ports.accounts, stack.ports.notifications]) {
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as { checks: Record<string, string> }).checks.database).not.toBe('ok');
      }
    } finally {
      await stack.dbProxy!.restore();
    }
    await waitFor(async () => (await call(stack.baseUrl, 'GET', '/v1/clients', { token })).status === 200, { what: 'reads to work again' });
    const created = await post(body, 'cut-1');
    expect(created.status).toBe(201);
    expect(await clientsNamed(body.accountName)).toBe(1);
    for (const port of [stack.ports.accounts, stack.ports.notifications]) {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, { what: `port ${port} to be ready` });
    }
    expect([stack.pid('accounts'), stack.pid('notifications'), stack.pid('gateway')]).toEqual(pids);
  });

  it('answers 503 at once while NATS is away, is not ready, and recovers without a restart', async () => {
    const pids = [stack.pid('accounts'), stack.pid('notifications'), stack.pid('gateway')];
    const ports = [stack.ports.accounts, stack.ports.notifications, stack.ports.gateway];
    await nats.kill();
    try {
      // The services notice the lost connection at once (the socket closes).
      await waitFor(async () => (await fetch(`http://127.0.0.1:${stack.ports.gateway}/health/ready`)).status === 503, { what: 'the gateway to be not ready' });
      const started = Date.now();
      const list = await call(stack.baseUrl, 'GET', '/v1/clients', { token });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(list.status).toBe(503);
      expect(list.body).toMatchObject({ status: 503, code: 'service_unavailable' });
      expect(list.headers.get('retry-after')).toBe('1');
      for (const port of ports) {
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as { checks: Record<string, string> }).checks.nats).not.toBe('ok');
      }
    } finally {
      await nats.start();
    }
    for (const port of ports) {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, { timeoutMs: 15_000, what: `port ${port} to be ready` });
    }
    const created = await post(clientBody(), 'nats-back-1');
    expect(created.status).toBe(201);
    expect([stack.pid('accounts'), stack.pid('notifications'), stack.pid('gateway')]).toEqual(pids);
  });

  it('records an e-mail that SMTP accepted while the database was away, and sends it only once', async () => {
    const body = clientBody();
    const release = stack.smtp.hold();
    let released = false;
    try {
      expect((await post(body, 'mail-1')).status).toBe(201);
      await waitFor(async () => stack.smtp.waiting > 0, { timeoutMs: 20_000, what: 'the invitation to reach SMTP' });
      await stack.dbProxy!.cut();
      release();
      released = true;
      // SMTP has the message; recording it fails for a while.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      if (!released) release();
      await stack.dbProxy!.restore();
    }
    const to = body.owner.email;
    await waitFor(
      async () =>
        (await stack.db.query(`select 1 from notifications.email where recipient = $1 and kind = 'invitation' and status = 'sent'`, [to])).length === 1,
      { timeoutMs: 15_000, what: 'the e-mail to be recorded as sent' },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(stack.smtp.messages.filter((m) => m.to && JSON.stringify(m.to).includes(to))).toHaveLength(1);
    expect(stack.logs('notifications').some((line) => line.includes('recorded sent e-mails after the database came back'))).toBe(true);
  });
});
