import { connect } from 'nats';
import { call, startStack, testEnvironment, waitFor, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(90_000);

describe('resilience: deadlines, missing services, graceful shutdown', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ migrations, env: { REQUEST_TIMEOUT: '1500ms' } });
  });
  afterAll(async () => stack?.close());

  it('answers 503 at once when accounts is not running, and works again when it is back', async () => {
    const { token } = await partnerWithToken(stack);
    expect(await stack.stop('accounts')).toBe(0);
    const started = Date.now();
    const res = await call(stack.baseUrl, 'GET', '/v1/clients', { token });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(Date.now() - started).toBeLessThan(1_000);
    await stack.start('accounts');
    expect((await call(stack.baseUrl, 'GET', '/v1/clients', { token })).status).toBe(200);
  });

  it('answers 504 within the deadline when accounts is there but does not answer', async () => {
    const { token } = await partnerWithToken(stack);
    // A responder that takes the requests and never replies: a hung replica.
    const nc = await connect({ servers: testEnvironment.natsUrl });
    await stack.stop('accounts');
    nc.subscribe(`${stack.prefix}.accounts.rpc.clients.list`, { callback: () => undefined });
    await nc.flush();
    try {
      const started = Date.now();
      const res = await call(stack.baseUrl, 'GET', '/v1/clients', { token });
      const elapsed = Date.now() - started;
      expect(res.status).toBe(504);
      expect(res.body.code).toBe('upstream_timeout');
      expect(elapsed).toBeGreaterThanOrEqual(1_400);
      expect(elapsed).toBeLessThan(4_000);
    } finally {
      await nc.close();
      await stack.start('accounts');
    }
  });

  it('stops accounts cleanly on SIGTERM with every committed event published', async () => {
    const { token } = await partnerWithToken(stack);
    const creates = Array.from({ length: 10 }, () => call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody() }));
    const answers = await Promise.all(creates);
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(await stack.stop('accounts', 'SIGTERM')).toBe(0);
    expect(stack.logs('accounts').some((line) => line.includes('stopped cleanly'))).toBe(true);
    const unsent = await stack.db.query<{ n: string }>('select count(*) as n from accounts.outbox where sent_at is null');
    expect(unsent[0].n).toBe('0');
    await stack.start('accounts');
  });

  it('refuses to start with a malformed setting, naming it in one line', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['scripts/service.js', 'accounts'], {
      cwd: `${__dirname}/../..`,
      env: { PATH: process.env.PATH, NATS_URL: 'http://wrong', DATABASE_URL: 'postgres://x@127.0.0.1/x' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['Invalid setting NATS_URL: must be one or more nats:// URLs, comma-separated']);
    const missing = spawnSync(process.execPath, ['scripts/service.js', 'notifications'], {
      cwd: `${__dirname}/../..`,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('Invalid setting DATABASE_URL: must be a postgres:// URL');
  });

  it('keeps answering reads while notifications is down, and notifications catches up after', async () => {
    const { token } = await partnerWithToken(stack);
    await stack.stop('notifications');
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody() });
    expect(created.status).toBe(201);
    await stack.start('notifications');
    await waitFor(
      async () => (await stack.db.query("select 1 from notifications.handled_event where subject = $1 and type = 'accounts.client.created'", [created.body.id])).length === 1,
      { what: 'notifications to catch up' },
    );
  });
});
