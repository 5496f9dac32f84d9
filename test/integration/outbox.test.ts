import { connect, type NatsConnection } from 'nats';
import { createTestDatabase, deleteStream, randomSuffix, startPrivateNats, testEnvironment, waitFor, type PrivateNats, type TestDatabase } from '@clientele/testing';
import type { CloudEvent } from '@clientele/contracts';
import { migrateAccounts } from '../../apps/accounts/src/migrate';
import { accountBody, accountsInProcess } from './accounts-harness';

jest.setTimeout(90_000);

async function streamEvents(nc: NatsConnection, stream: string): Promise<{ subject: string; event: CloudEvent }[]> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(stream);
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    out.push({ subject: m.subject, event: m.json<CloudEvent>() });
  }
  return out;
}

const unsent = async (db: TestDatabase) =>
  Number((await db.query<{ n: string }>('select count(*) as n from accounts.outbox where sent_at is null'))[0].n);

/** An outbox row written the way the unit of work writes one: an `accounts.client.updated` event of `aggregate`. */
async function insertOutboxRow(db: TestDatabase, prefix: string, aggregate: string, data: { round: number }): Promise<void> {
  const id = crypto.randomUUID();
  const event = { specversion: '1.0', id, source: '/accounts', type: 'accounts.client.updated', subject: aggregate, time: new Date().toISOString(), datacontenttype: 'application/json', data };
  await db.query(
    `insert into accounts.outbox (event_id, aggregate_id, subject, event, created_at) values ($1, $2, $3, $4, now())`,
    [id, aggregate, `${prefix}.accounts.events.client.updated`, JSON.stringify(event)],
  );
}

describe('outbox relay', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase([migrateAccounts]);
  });
  afterEach(async () => db.drop());

  it('keeps events while NATS is unreachable and publishes each exactly once when it is back', async () => {
    const nats: PrivateNats = await startPrivateNats();
    const accounts = await accountsInProcess({ DATABASE_URL: db.url, NATS_URL: nats.url, REQUEST_TIMEOUT: '1s' });
    try {
      const partner = await accounts.createPartner(accountBody('distributor'));
      await waitFor(async () => (await unsent(db)) === 0, { what: 'the partner event to go out' });

      await nats.stop();
      const caller = { kind: 'user' as const, accountId: partner.id, userId: partner.owner!.id, role: 'admin' as const };
      // The service still takes changes: they wait in the outbox.
      const clients = [];
      for (let i = 0; i < 5; i++) clients.push(await accounts.createClient(caller, accountBody()));
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await unsent(db)).toBe(5);

      await nats.start();
      await waitFor(async () => (await unsent(db)) === 0, { timeoutMs: 20_000, what: 'the outbox to drain after NATS came back' });

      const nc = await connect({ servers: nats.url });
      const events = await streamEvents(nc, 'ACCOUNTS');
      await nc.close();
      const ids = events.map((e) => e.event.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(events).toHaveLength(6);
      expect(events.map((e) => e.event.subject)).toEqual([partner.id, ...clients.map((c) => c.id)]);
    } finally {
      await accounts.service.close();
      await nats.dispose();
    }
  });

  it('publishes rows committed elsewhere (another replica) at its next poll, without being told', async () => {
    const prefix = `o${randomSuffix()}`;
    const accounts = await accountsInProcess({ DATABASE_URL: db.url, NATS_URL: testEnvironment.natsUrl, NATS_PREFIX: prefix, OUTBOX_POLL_INTERVAL: '200ms' });
    try {
      // Idle polls first (each finds nothing), then rows no commit of this process nudged it about.
      await new Promise((r) => setTimeout(r, 500));
      const aggregate = crypto.randomUUID();
      for (const round of [0, 1, 2]) await insertOutboxRow(db, prefix, aggregate, { round });
      await waitFor(async () => (await unsent(db)) === 0, { timeoutMs: 5_000, what: 'the relay to find the rows at a poll' });
      const nc = await connect({ servers: testEnvironment.natsUrl });
      const events = await streamEvents(nc, `${prefix.toUpperCase()}_ACCOUNTS`);
      await nc.close();
      expect(events.map((e) => (e.event.data as { round: number }).round)).toEqual([0, 1, 2]);
    } finally {
      await accounts.service.close();
      await deleteStream(`${prefix.toUpperCase()}_ACCOUNTS`);
    }
  });

  it('with two relays on one database, publishes every row once and keeps each aggregate in order', async () => {
    const prefix = `o${randomSuffix()}`;
    const env = { DATABASE_URL: db.url, NATS_URL: testEnvironment.natsUrl, NATS_PREFIX: prefix, EVENTS_DUPLICATE_WINDOW: '100ms' };
    const first = await accountsInProcess(env);
    const second = await accountsInProcess(env);
    const aggregates = Array.from({ length: 20 }, () => crypto.randomUUID());
    const perAggregate = 15;
    try {
      // Rows written the way the unit of work writes them, interleaved across aggregates, while both relays run.
      for (let round = 0; round < perAggregate; round++) {
        await Promise.all(aggregates.map((aggregate) => insertOutboxRow(db, prefix, aggregate, { round })));
        first.service.relay.nudge();
        second.service.relay.nudge();
      }
      await waitFor(async () => (await unsent(db)) === 0, { timeoutMs: 30_000, what: 'both relays to drain the outbox' });

      const nc = await connect({ servers: testEnvironment.natsUrl });
      const events = await streamEvents(nc, `${prefix.toUpperCase()}_ACCOUNTS`);
      await nc.close();
      expect(events).toHaveLength(aggregates.length * perAggregate);
      expect(new Set(events.map((e) => e.event.id)).size).toBe(events.length);
      const seqOrder = await db.query<{ event_id: string }>('select event_id from accounts.outbox order by seq');
      const position = new Map(seqOrder.map((row, index) => [row.event_id, index]));
      for (const aggregate of aggregates) {
        const mine = events.filter((e) => e.event.subject === aggregate);
        expect(mine.map((e) => (e.event.data as { round: number }).round)).toEqual([...Array(perAggregate).keys()]);
        const positions = mine.map((e) => position.get(e.event.id)!);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      }
    } finally {
      await first.service.close();
      await second.service.close();
      await deleteStream(`${prefix.toUpperCase()}_ACCOUNTS`);
    }
  });
});
