import { connect, headers, type NatsConnection } from 'nats';
import { loadConfig } from '@clientele/config';
import { EventTypes, type CloudEvent } from '@clientele/contracts';
import { JsonLogger } from '@clientele/observability';
import { createTestDatabase, deleteStream, randomSuffix, testEnvironment, waitFor, type TestDatabase } from '@clientele/testing';
import { NotificationsConfig } from '../../apps/notifications/src/config';
import { migrateNotifications } from '../../apps/notifications/src/migrate';
import { startNotifications, type RunningNotifications } from '../../apps/notifications/src/notifications.app';

jest.setTimeout(60_000);

function clientCreated(clientId = crypto.randomUUID()): CloudEvent {
  return {
    specversion: '1.0',
    id: crypto.randomUUID(),
    source: '/accounts',
    type: EventTypes.clientCreated,
    subject: clientId,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {
      clientId, parentId: crypto.randomUUID(), type: 'customer', accountName: 'A', companyName: 'A SA', status: 'active', language: 'en',
      owner: { userId: crypto.randomUUID(), email: 'o@a.test', firstName: 'O', lastName: 'A', status: 'invited' },
      invitation: null,
    },
  };
}

describe('notifications consumes account events at least once, with one effect each', () => {
  let db: TestDatabase;
  let nc: NatsConnection;
  let prefix: string;
  const replicas: RunningNotifications[] = [];

  const start = async () => {
    const config = loadConfig(NotificationsConfig, {
      DATABASE_URL: db.url, NATS_URL: testEnvironment.natsUrl, NATS_PREFIX: prefix, HTTP_PORT: '0', LOG_LEVEL: 'error',
    });
    const replica = await startNotifications(config, new JsonLogger('notifications', 'error'));
    replicas.push(replica);
    return replica;
  };
  const publish = async (event: CloudEvent, msgID: string) => {
    const h = headers();
    await nc.jetstream().publish(`${prefix}.accounts.events.client.created`, JSON.stringify(event), { msgID, headers: h });
  };
  const handled = async (eventId: string) =>
    Number((await db.query<{ n: string }>('select count(*) as n from notifications.handled_event where event_id = $1', [eventId]))[0].n);

  beforeEach(async () => {
    db = await createTestDatabase([migrateNotifications]);
    prefix = `n${randomSuffix()}`;
    nc = await connect({ servers: testEnvironment.natsUrl });
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => r.close()));
    await nc.close();
    await deleteStream(`${prefix.toUpperCase()}_ACCOUNTS`);
    await db.drop();
  });

  it('records a redelivered event once and acknowledges every delivery', async () => {
    const replica = await start();
    const event = clientCreated();
    // The same event arriving twice, as after a relay crash outside JetStream's duplicate window.
    await publish(event, `${event.id}-a`);
    await publish(event, `${event.id}-b`);
    const jsm = await nc.jetstreamManager();
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(replica.stream, 'notifications');
        return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq === 2;
      },
      { what: 'both deliveries to be acknowledged' },
    );
    expect(await handled(event.id)).toBe(1);
  });

  it('shares one durable consumer between replicas: every event handled once in all', async () => {
    await start();
    await start();
    const events = Array.from({ length: 40 }, () => clientCreated());
    for (const event of events) await publish(event, event.id);
    await waitFor(
      async () => Number((await db.query<{ n: string }>('select count(*) as n from notifications.handled_event'))[0].n) === events.length,
      { what: 'all events to be handled' },
    );
    for (const event of events.slice(0, 5)) expect(await handled(event.id)).toBe(1);
  });

  it('picks up events published while it was down', async () => {
    const first = await start();
    await first.close();
    replicas.splice(0);
    const event = clientCreated();
    await publish(event, event.id);
    await start();
    await waitFor(async () => (await handled(event.id)) === 1, { what: 'the event published while down' });
  });

  it('handles events that arrived together in shared transactions, and one bad event holds back no other', async () => {
    const first = await start();
    await first.close();
    replicas.splice(0);
    const events = Array.from({ length: 30 }, () => clientCreated());
    // Its password e-mail cannot be stored (the user id is not a uuid): this event fails every time.
    const poisoned = clientCreated();
    Object.assign(poisoned.data as object, { owner: { userId: 'not-a-uuid', email: 'p@a.test', firstName: 'P', lastName: 'A', status: 'active' } });
    for (const event of [...events.slice(0, 15), poisoned, ...events.slice(15)]) await publish(event, event.id);
    await start();
    await waitFor(
      async () => Number((await db.query<{ n: string }>('select count(*) as n from notifications.handled_event'))[0].n) === events.length,
      { what: 'every good event to be handled' },
    );
    for (const event of events) expect(await handled(event.id)).toBe(1);
    expect(await handled(poisoned.id)).toBe(0);
    // One transaction stamps one handled_at: fewer distinct stamps than events means they were batched.
    const [{ n: stamps }] = await db.query<{ n: string }>('select count(distinct handled_at) as n from notifications.handled_event');
    expect(Number(stamps)).toBeLessThan(events.length);
  });

  it('acknowledges events it has no use for, also when a whole batch is made of them', async () => {
    const first = await start();
    await first.close();
    replicas.splice(0);
    const unused = Array.from({ length: 5 }, () => ({ ...clientCreated(), id: crypto.randomUUID(), type: EventTypes.ownerRemoved }));
    const wanted = clientCreated();
    for (const event of unused) await publish(event, event.id);
    const replica = await start();
    await waitFor(async () => (await (await nc.jetstreamManager()).consumers.info(replica.stream, 'notifications')).num_ack_pending === 0 &&
      (await (await nc.jetstreamManager()).consumers.info(replica.stream, 'notifications')).delivered.stream_seq === unused.length,
    { what: 'the unused events to be acknowledged' });
    await publish(wanted, wanted.id);
    await waitFor(async () => (await handled(wanted.id)) === 1, { what: 'the event after them' });
    expect(Number((await db.query<{ n: string }>('select count(*) as n from notifications.handled_event'))[0].n)).toBe(1);
  });
});
