import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, headers, type NatsConnection } from 'nats';
import { AccountsRpc, Headers } from '@clientele/contracts';
import { call, randomSuffix, startPrivateNats, startStack, type PrivateNats, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(90_000);

const PASSWORDS = { gateway: `g-${randomSuffix(16)}`, accounts: `a-${randomSuffix(16)}`, notifications: `n-${randomSuffix(16)}` };

/** The deployment's NATS users, on a server of the test's own, with the whole stack on it. */
describe('least-privilege NATS users (deploy/nats-server.conf, deploy/nats-users.conf)', () => {
  let nats: PrivateNats;
  let stack: Stack;
  const open: NatsConnection[] = [];

  const as = async (user: keyof typeof PASSWORDS) => {
    const nc = await connect({ servers: nats.url, user, pass: PASSWORDS[user], inboxPrefix: `_INBOX_${user}` });
    open.push(nc);
    return nc;
  };
  /** The server's answer to a publication: a permissions violation, or null if none came within a second. */
  const publishRefused = async (nc: NatsConnection, subject: string) => {
    const seen = (async () => {
      for await (const status of nc.status()) if (status.type === 'error' && status.data === 'PERMISSIONS_VIOLATION') return true;
      return false;
    })();
    nc.publish(subject, '{}');
    return Promise.race([seen, new Promise<boolean>((r) => setTimeout(() => r(false), 1_000))]);
  };
  const subscriptionError = async (nc: NatsConnection, subject: string) => {
    try {
      for await (const _ of nc.subscribe(subject, { timeout: 1_000 })) return 'a message arrived';
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  beforeAll(async () => {
    // The machine's nats-server (2.9) predates sync_interval; everything else is the deployment's file,
    // with its users (an include beside it) inlined, since the server runs it from a folder of its own.
    const deploy = (file: string) => readFileSync(join(__dirname, '..', '..', 'deploy', file), 'utf8');
    const config = deploy('nats-server.conf')
      .replace(/^\s*include\s+"?nats-users\.conf"?;?\s*$/m, () => deploy('nats-users.conf'))
      .replace(/^\s*sync_interval:.*$/m, '');
    nats = await startPrivateNats({
      config,
      env: { GATEWAY_NATS_PASSWORD: PASSWORDS.gateway, ACCOUNTS_NATS_PASSWORD: PASSWORDS.accounts, NOTIFICATIONS_NATS_PASSWORD: PASSWORDS.notifications },
    });
    const user = (name: keyof typeof PASSWORDS) => ({ NATS_USER: name, NATS_PASSWORD: PASSWORDS[name] });
    stack = await startStack({
      migrations,
      natsUrl: nats.url,
      env: { RATE_LIMIT_PER_CALLER: '40/1h' },
      serviceEnv: { gateway: user('gateway'), accounts: user('accounts'), notifications: user('notifications') },
    });
  });
  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close()));
    await stack?.close();
    await nats?.dispose();
  });

  it('runs every flow with each service as its own user', async () => {
    const { token } = await partnerWithToken(stack);
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody() });
    expect(created.status).toBe(201);
    // The invitation e-mail: notifications consumed the event and had accounts mint the link.
    const email: string = created.body.owner.email;
    await stack.smtp.waitForMessage((m) => JSON.stringify(m.to ?? '').includes(email), 'the invitation e-mail');
    // The gateway keeps its rate-limit counters in its bucket.
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await call(stack.baseUrl, 'GET', '/v1/account', { token })).status);
    expect(statuses).toContain(429);
  });

  it('keeps the gateway away from the subjects only notifications may use', async () => {
    const gateway = await as('gateway');
    const h = headers();
    h.set(Headers.caller, JSON.stringify({ kind: 'service', service: 'notifications' }));
    await expect(gateway.request(AccountsRpc.mintInvitationLink, '{}', { headers: h, timeout: 1_000 })).rejects.toThrow(
      'Permissions Violation for Publish to "accounts.rpc.invitations.mint-link"',
    );
    await expect(gateway.request(AccountsRpc.expireInvitations, '{}', { headers: h, timeout: 1_000 })).rejects.toThrow(/Permissions Violation/);
    expect(await publishRefused(gateway, 'accounts.events.client.created')).toBe(true);
    expect(await subscriptionError(gateway, 'accounts.rpc.>')).toMatch(/Permissions Violation for Subscription/);
  });

  it('lets notifications publish no account events and answer no account requests', async () => {
    const notifications = await as('notifications');
    expect(await publishRefused(notifications, 'accounts.events.client.created')).toBe(true);
    expect(await subscriptionError(notifications, 'accounts.rpc.>')).toMatch(/Permissions Violation for Subscription/);
    expect(await subscriptionError(notifications, '_INBOX_gateway.>')).toMatch(/Permissions Violation for Subscription/);
    // What it may do, it can: a request to mint a link reaches accounts (which refuses this made-up id).
    await expect(notifications.request(AccountsRpc.mintInvitationLink, '{}', { timeout: 2_000 })).resolves.toBeDefined();
  });

  it('refuses unknown users', async () => {
    await expect(connect({ servers: nats.url, user: 'gateway', pass: 'wrong' })).rejects.toThrow(/authorization/i);
  });
});
