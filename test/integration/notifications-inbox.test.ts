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

  it('writes the e-mails and deadlines of a batch together, as if one after another: a revocation closes what the batch queued, a second deadline wins', async () => {
    const first = await start();
    await first.close();
    replicas.splice(0);
    const clientId = crypto.randomUUID();
    const invitationId = crypto.randomUUID();
    const userId = crypto.randomUUID();
    const created = clientCreated(clientId);
    // Scheduled a day ahead: it stays queued unless something closes it.
    const sendAt = new Date(Date.now() + 86_400_000).toISOString();
    Object.assign(created.data as object, { invitation: { invitationId, send: 'scheduled', sendAt } });
    const event = (type: string, data: object): CloudEvent =>
      ({ ...clientCreated(clientId), id: crypto.randomUUID(), type: type as CloudEvent['type'], data });
    const expiresAt = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const invited = (days: number) => event(EventTypes.ownerInvited, { invitationId, clientId, userId, sentAt: new Date().toISOString(), expiresAt: expiresAt(days) });
    const other = clientCreated();
    Object.assign(other.data as object, { invitation: { invitationId: crypto.randomUUID(), send: 'scheduled', sendAt } });
    const batch = [created, invited(14), invited(20), event(EventTypes.ownerInvitationRevoked, { invitationId, clientId, userId }), other];
    for (const e of batch) await publish(e, e.id);
    await start();
    await waitFor(async () => Number((await db.query<{ n: string }>('select count(*) as n from notifications.handled_event'))[0].n) === batch.length, {
      what: 'the batch to be handled',
    });
    const emails = await db.query<{ invitation_id: string; status: string }>('select invitation_id, status from notifications.email order by created_at');
    expect(emails.map((e) => [e.invitation_id === invitationId, e.status])).toEqual([[true, 'cancelled'], [false, 'queued']]);
    const deadlines = await db.query<{ kind: string; due_at: Date; done_at: Date | null }>(
      'select kind, due_at, done_at from notifications.deadline where invitation_id = $1 order by kind', [invitationId]);
    expect(deadlines.map((d) => d.kind)).toEqual(['invitation-expiry', 'invitation-reminder']);
    expect(Math.abs(new Date(deadlines[0].due_at).getTime() - new Date(expiresAt(20)).getTime())).toBeLessThan(60_000);
    expect(deadlines.every((d) => d.done_at !== null)).toBe(true);
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
