import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { connect, type MsgHdrs, type NatsConnection } from 'nats';
import { EventTypes } from '@clientele/contracts';
import { call, invitationTokenOf, startStack, testEnvironment, waitFor, type Stack } from '@clientele/testing';
import { subscribe, type AccountsEvent } from '../../docs/examples/subscriber';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

interface StoredEvent {
  subject: string;
  headers: Record<string, string>;
  event: AccountsEvent & Record<string, unknown>;
}

/**
 * The document at /docs/asyncapi.json against what the services really
 * publish: every event type is raised through the API, read back from the
 * stream, and checked against its message in the served document, which
 * must name every field it carries. The example subscriber of
 * docs/events.md reads the same stream.
 */
describe('GET /docs/asyncapi.json: the events as they are published', () => {
  let stack: Stack;
  let nc: NatsConnection;
  let document: any;
  let stream: string;

  beforeAll(async () => {
    stack = await startStack({
      migrations,
      env: { INVITATION_TTL: '6s', INVITATION_REMINDER_BEFORE: '0', SWEEP_INTERVAL: '300ms' },
    });
    nc = await connect({ servers: testEnvironment.natsUrl });
    stream = `${stack.prefix.toUpperCase()}_ACCOUNTS`;
  });
  afterAll(async () => {
    await nc?.close();
    await stack?.close();
  });

  it('serves an AsyncAPI 3 document the AsyncAPI parser accepts, with every event type at its subject', async () => {
    const res = await call(stack.baseUrl, 'GET', '/docs/asyncapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    document = res.body;
    expect(document).toMatchObject({ asyncapi: '3.0.0', info: { title: 'Clientele events', version: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version } });

    const diagnostics = await new Parser().validate(res.text);
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);

    const addresses = Object.values(document.channels as Record<string, { address: string }>).map((c) => c.address).sort();
    expect(addresses).toEqual(Object.values(EventTypes).map((type) => `${stack.prefix}.accounts.events.${type.replace(/^accounts\./, '')}`).sort());
    const nats = new URL(testEnvironment.natsUrl);
    expect(document.servers).toEqual({ nats: expect.objectContaining({ host: `${nats.hostname}:${nats.port}`, protocol: 'nats' }) });
  });

  it('is linked from the OpenAPI document', async () => {
    const openapi = await call(stack.baseUrl, 'GET', '/docs/openapi.json');
    expect(openapi.body.info.description).toContain('/docs/asyncapi.json');
  });

  it('has the example subscriber of docs/events.md in docs/examples/subscriber.ts, word for word', () => {
    const markdown = readFileSync(join(ROOT, 'docs', 'events.md'), 'utf8');
    const example = readFileSync(join(ROOT, 'docs', 'examples', 'subscriber.ts'), 'utf8');
    expect(markdown).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('publishes every event type with data its schema in the document describes, field for field', async () => {
    const handledBySubscriber = new Map<string, AccountsEvent>();
    const subscriber = await subscribe(nc, {
      stream,
      durable: 'asyncapi-e2e',
      filter: `${stack.prefix}.accounts.events.>`,
      handled: { has: async (id) => handledBySubscriber.has(id), add: async () => undefined },
      handle: async (event) => void handledBySubscriber.set(event.id, event),
    });

    await raiseEveryEventType(stack);

    const types = Object.values(EventTypes);
    const events = await waitFor(
      async () => {
        const stored = await storedEvents(nc, stream);
        const seen = new Set(stored.map((s) => s.event.type));
        return types.every((type) => seen.has(type)) ? stored : undefined;
      },
      { timeoutMs: 30_000, what: 'every event type on the stream' },
    ).catch(async (error: Error) => {
      const seen = new Set((await storedEvents(nc, stream)).map((s) => s.event.type));
      throw new Error(`${error.message}; never raised: ${types.filter((type) => !seen.has(type)).join(', ')}`);
    });

    const messages = strictValidators(document);
    const problems: string[] = [];
    for (const { subject, headers, event } of events) {
      const key = Object.entries(EventTypes).find(([, type]) => type === event.type)![0];
      expect(subject).toBe(document.channels[key].address);
      for (const [part, validate, value] of [['payload', messages[key].payload, event], ['headers', messages[key].headers, headers]] as const) {
        if (!validate(value)) problems.push(`${event.type} ${part}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(value)}`);
      }
    }
    expect(problems).toEqual([]);
    // The optional attributes are real too.
    expect(events.some((e) => e.event.traceparent !== undefined)).toBe(true);

    // The example subscriber handled each of them.
    await waitFor(async () => events.every((e) => handledBySubscriber.has(e.event.id)), { what: 'the subscriber to handle every event' });
    await subscriber.stop();
  });

  it('lets the example subscriber drop a repeated id, ack everything, and resume where it stopped', async () => {
    const handled = new Set<string>();
    const calls: string[] = [];
    const options = {
      stream,
      durable: 'docs-example',
      filter: `${stack.prefix}.accounts.events.client.>`,
      handled: { has: async (id: string) => handled.has(id), add: async (id: string) => void handled.add(id) },
      handle: async (event: AccountsEvent) => void calls.push(event.id),
    };
    const { token } = await partnerWithToken(stack);
    const first = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody({ invitation: { send: 'none' } }) });
    let subscriber = await subscribe(nc, options);
    const createdId = await waitFor(async () => (await storedEvents(nc, stream)).find((s) => s.event.subject === first.body.id)?.event.id, { what: 'the client.created event' });
    await waitFor(async () => calls.includes(createdId), { what: 'the subscriber to handle the client.created event' });

    // At least once: the same event again (a publisher retrying after the duplicate window) is acked, not handled.
    const before = calls.length;
    const again = (await storedEvents(nc, stream)).find((s) => s.event.id === createdId)!;
    await nc.jetstream().publish(again.subject, JSON.stringify(again.event));
    await waitFor(async () => (await pending(nc, stream, 'docs-example')) === 0, { what: 'the repeated event to be acked' });
    expect(calls.length).toBe(before);

    // Durable: stopped, then started again (with no memory of its own), it gets only what came in between.
    await subscriber.stop();
    const handledBeforeStop = calls.length;
    const second = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody({ invitation: { send: 'none' } }) });
    handled.clear();
    subscriber = await subscribe(nc, options);
    await waitFor(async () => (await pending(nc, stream, 'docs-example')) === 0 && calls.length > handledBeforeStop, { what: 'the resumed subscriber to catch up' });
    await subscriber.stop();
    const resumed = (await storedEvents(nc, stream)).filter((s) => calls.slice(handledBeforeStop).includes(s.event.id));
    expect(resumed.map((s) => [s.event.type, s.event.subject])).toEqual([['accounts.client.created', second.body.id]]);
  });
});

/** Drives the API so that accounts raises every event type at least once. */
async function raiseEveryEventType(stack: Stack): Promise<void> {
  const api = async (method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await call(stack.baseUrl, method, path, { token, body, headers });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  /** The e-mails to `email` with a link to `path` (newest last). */
  const linksTo = (email: string, path: string) =>
    stack.smtp.messages.filter((m) => JSON.stringify(m.to ?? '').includes(email) && (m.text ?? '').includes(`/${path}/`));

  // client.created and license.assigned; owner.invited once the invitation goes out, then owner.invitation-expired and owner.removed.
  const { token } = await partnerWithToken(stack, { type: 'reseller' });
  const plan = await api('POST', '/v1/service-plans', token, { name: 'Events plan', product: 'P', unitType: 'user' });
  const client = await api('POST', '/v1/clients', token, clientBody({ servicePlans: [{ planId: plan.id, units: 2, startDate: '2026-12-01' }] }));
  // client.updated (with a W3C trace context), client.deactivated, client.activated.
  await api('PATCH', `/v1/clients/${client.id}`, token, { companyName: 'Renamed S.p.A.' }, { traceparent: TRACEPARENT });
  await api('POST', `/v1/clients/${client.id}/deactivate`, token);
  await api('POST', `/v1/clients/${client.id}/activate`, token);
  // license.changed, license.ended.
  const [license] = (await api('GET', `/v1/clients/${client.id}/licenses`, token)).data;
  await api('PATCH', `/v1/clients/${client.id}/licenses/${license.id}`, token, { units: 7 });
  await api('DELETE', `/v1/clients/${client.id}/licenses/${license.id}`, token);
  // owner.invitation-resent, then owner.activated through the new link.
  const accepting = await api('POST', '/v1/clients', token, clientBody());
  await waitFor(async () => linksTo(accepting.owner.email, 'invitations')[0], { what: 'the invitation' });
  await api('POST', `/v1/clients/${accepting.id}/invitation/resend`, token);
  const resent = await waitFor(async () => linksTo(accepting.owner.email, 'invitations')[1], { what: 'the resent invitation' });
  const accepted = await call(stack.baseUrl, 'POST', `/v1/invitations/${invitationTokenOf(resent)}/accept`, { body: { password: 'a long enough new password' } });
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.text}`);
  // owner.invitation-revoked, then relationship.ended.
  const revoked = await api('POST', '/v1/clients', token, clientBody({ invitation: { send: 'scheduled', sendAt: '2099-01-01T00:00:00Z' } }));
  await api('DELETE', `/v1/clients/${revoked.id}/invitation`, token);
  await api('DELETE', `/v1/clients/${revoked.id}/relationship`, token);
  // relationship.requested, relationship.accepted, relationship.declined.
  const accepter = await partnerWithToken(stack, { type: 'group' });
  const decliner = await partnerWithToken(stack, { type: 'group' });
  for (const [invited, decision] of [[accepter, 'accept'], [decliner, 'decline']] as const) {
    await api('POST', '/v1/relationship-requests', token, { email: invited.body.owner.email });
    const mail = await waitFor(async () => linksTo(invited.body.owner.email, 'relationship-requests')[0], { what: 'the invitation to connect' });
    const link = /\/relationship-requests\/([A-Za-z0-9_-]+)/.exec(mail.text!)![1];
    await api('POST', `/v1/relationship-requests/${link}/${decision}`, invited.token);
  }
  // client-form.updated.
  await api('PUT', '/v1/account/client-form', token, { required: ['phone'], defaults: { language: 'it' } });
  // client-import.completed (its rows must have the phone the form now requires).
  await api('POST', '/v1/client-imports', token, { rows: [clientBody({ phone: '+390612345678', invitation: { send: 'none' } }), { accountName: '' }] });
}

/** Every message on the stream, oldest first. */
async function storedEvents(nc: NatsConnection, stream: string): Promise<StoredEvent[]> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(stream);
  const stored: StoredEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    stored.push({ subject: m.subject, headers: headersOf(m.header), event: m.json() });
  }
  return stored;
}

function headersOf(h: MsgHdrs): Record<string, string> {
  return Object.fromEntries([...h.keys()].map((key) => [key, h.get(key)]));
}

async function pending(nc: NatsConnection, stream: string, durable: string): Promise<number> {
  const info = await (await nc.jetstreamManager()).consumers.info(stream, durable);
  return info.num_pending + info.num_ack_pending;
}

/**
 * A validator per message of the document, for its payload and its headers,
 * stricter than the document: an object may have no property the document
 * does not name (the document leaves them open so that adding a field later
 * breaks no subscriber).
 */
function strictValidators(document: any): Record<string, { payload: ValidateFunction; headers: ValidateFunction }> {
  const closed = closeObjects(structuredClone(document));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(closed, 'asyncapi.json');
  return Object.fromEntries(
    Object.keys(closed.components.messages).map((key) => [
      key,
      {
        payload: ajv.getSchema(`asyncapi.json#/components/messages/${key}/payload`)!,
        headers: ajv.getSchema(`asyncapi.json#/components/messages/${key}/headers`)!,
      },
    ]),
  );
}

function closeObjects(node: any): any {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (node && typeof node === 'object') {
    if (node.type === 'object' && node.properties && node.additionalProperties === undefined) node.additionalProperties = false;
    Object.values(node).forEach(closeObjects);
  }
  return node;
}
