import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type NatsConnection } from 'nats';
import { call, startStack, testEnvironment, waitFor, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(120_000);

/** One span as the OTLP/HTTP JSON exporter sends it, with its service. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

/** OTLP/JSON ids are hex; a protobuf-style JSON encoder would send base64: either way, hex here. */
const hex = (id: unknown): string | undefined => {
  if (typeof id !== 'string' || !id) return undefined;
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
};

/** A tiny OTLP/HTTP receiver: takes `POST /v1/traces` (JSON) and keeps every span. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; bodies: string[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      bodies.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      try {
        const body = JSON.parse(text) as { resourceSpans?: any[] };
        for (const rs of body.resourceSpans ?? []) {
          const service = rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value?.stringValue ?? '?';
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({ service, traceId: hex(s.traceId)!, spanId: hex(s.spanId)!, parentSpanId: hex(s.parentSpanId), name: s.name, kind: s.kind });
            }
          }
        }
      } catch {
        // not JSON: counted in bodies, asserted on below
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The `accounts.client.created` event of a client, as it lies on the run's stream. */
async function createdEventOf(nc: NatsConnection, stack: Stack, clientId: string): Promise<Record<string, any>> {
  const jsm = await nc.jetstreamManager();
  const stream = `${stack.prefix.toUpperCase()}_ACCOUNTS`;
  return waitFor(
    async () => {
      const info = await jsm.streams.info(stream);
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const event = (await jsm.streams.getMessage(stream, { seq })).json<Record<string, any>>();
        if (event.subject === clientId && event.type === 'accounts.client.created') return event;
      }
      return undefined;
    },
    { what: 'the client.created event on the stream' },
  );
}

const newTraceparent = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
const traceIdOf = (traceparent: string) => traceparent.split('-')[1];
const spanIdOf = (traceparent: string) => traceparent.split('-')[2];

describe('tracing with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  let stack: Stack;
  let nc: NatsConnection;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startStack({ migrations, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' } });
    nc = await connect({ servers: testEnvironment.natsUrl });
  });
  afterAll(async () => {
    await nc?.close();
    await stack?.close();
    await receiver?.close();
  });

  it('runs one trace from the gateway over NATS into accounts and PostgreSQL, onto the event, into notifications and its SMTP send', async () => {
    const { token } = await partnerWithToken(stack);
    const body = clientBody();
    const incoming = newTraceparent();
    const traceId = traceIdOf(incoming);
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body, headers: { traceparent: incoming } });
    expect(created.status).toBe(201);
    await stack.smtp.waitForMessage((m) => JSON.stringify(m.to).includes(body.owner.email), 'the invitation e-mail');

    const event = await createdEventOf(nc, stack, created.body.id);
    expect(event.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceIdOf(event.traceparent)).toBe(traceId);

    const trace = await waitFor(
      async () => {
        const spans = receiver.spans.filter((s) => s.traceId === traceId);
        const has = (service: string, name: string | RegExp) => spans.some((s) => s.service === service && (typeof name === 'string' ? s.name === name : name.test(s.name)));
        return has('gateway', /^POST/) &&
          has('gateway', /^nats /) &&
          has('accounts', /^nats /) &&
          has('accounts', /^pg\./) &&
          has('notifications', 'accounts.client.created process') &&
          has('notifications', /^pg\./) &&
          has('notifications', 'smtp send')
          ? spans
          : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: `the spans of trace ${traceId} (received: ${receiver.bodies.length} exports)` },
    );
    expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['gateway', 'accounts', 'notifications']));
    expect(receiver.bodies.every((line) => /^POST \/v1\/traces application\/json/.test(line))).toBe(true);

    const byId = new Map(trace.map((s) => [s.spanId, s]));
    // The gateway's first span continues the caller's context.
    expect(trace.some((s) => s.service === 'gateway' && s.parentSpanId === spanIdOf(incoming))).toBe(true);
    // The event carries the context of a span of accounts; notifications' consumer span is its child.
    expect(byId.get(spanIdOf(event.traceparent))?.service).toBe('accounts');
    const consumer = trace.find((s) => s.name === 'accounts.client.created process')!;
    expect(consumer.parentSpanId).toBe(spanIdOf(event.traceparent));
    expect(consumer.kind).toBe(5); // CONSUMER
    // The SMTP send, later and in the e-mail sender's own loop, is a child of the consumer span that queued the e-mail.
    const send = trace.find((s) => s.name === 'smtp send')!;
    expect(send.parentSpanId).toBe(consumer.spanId);
    // Every span but the gateway's first has its parent in the trace: one tree, nothing dangling.
    const dangling = trace.filter((s) => s.parentSpanId && !byId.has(s.parentSpanId) && s.parentSpanId !== spanIdOf(incoming));
    expect(dangling).toEqual([]);
  });

  it('starts a trace at the gateway when the request has none, and leaves ops probes out', async () => {
    const { token } = await partnerWithToken(stack);
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody() });
    expect(created.status).toBe(201);
    const event = await createdEventOf(nc, stack, created.body.id);
    const traceId = traceIdOf(event.traceparent);
    // Each service exports in its own batches: wait for both ends of the trace, whichever comes last.
    const rootOf = () => receiver.spans.find((s) => s.traceId === traceId && s.service === 'gateway' && !s.parentSpanId);
    await waitFor(async () => receiver.spans.some((s) => s.traceId === traceId && s.service === 'notifications') && rootOf() !== undefined, {
      timeoutMs: 20_000,
      what: 'the gateway root span and the notifications span of a trace the gateway started',
    });
    const root = rootOf();
    expect(root?.name).toMatch(/^POST/);
    expect((await fetch(`http://127.0.0.1:${stack.ports.accounts}/health/ready`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // The services' ops ports answer only probes and scrapes: none of them is a span.
    expect(receiver.spans.filter((s) => s.service !== 'gateway' && /^GET/.test(s.name))).toEqual([]);
  });
});

describe('tracing without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let stack: Stack;
  let nc: NatsConnection;

  beforeAll(async () => {
    stack = await startStack({ migrations });
    nc = await connect({ servers: testEnvironment.natsUrl });
  });
  afterAll(async () => {
    await nc?.close();
    await stack?.close();
  });

  it('passes a request\'s traceparent over NATS onto the event it causes, unchanged', async () => {
    const { token } = await partnerWithToken(stack);
    const body = clientBody();
    const incoming = newTraceparent();
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body, headers: { traceparent: incoming, tracestate: 'vendor=abc' } });
    expect(created.status).toBe(201);
    const event = await createdEventOf(nc, stack, created.body.id);
    expect(event.traceparent).toBe(incoming);
    expect(traceIdOf(event.traceparent)).toBe(traceIdOf(incoming));
    expect(event.tracestate).toBe('vendor=abc');
    // ... and notifications keeps it with the e-mail the event queued.
    await stack.smtp.waitForMessage((m) => JSON.stringify(m.to).includes(body.owner.email), 'the invitation e-mail');
    const [email] = await stack.db.query<{ traceparent: string | null }>(
      `select traceparent from notifications.email where client_id = $1 and kind = 'invitation'`,
      [created.body.id],
    );
    expect(email.traceparent).toBe(incoming);
  });

  it('puts no traceparent on an event when the request had none, and ignores a malformed one', async () => {
    const { token } = await partnerWithToken(stack);
    const plain = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody() });
    const malformed = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody(), headers: { traceparent: '00-not-a-trace-01' } });
    expect([plain.status, malformed.status]).toEqual([201, 201]);
    expect((await createdEventOf(nc, stack, plain.body.id)).traceparent).toBeUndefined();
    expect((await createdEventOf(nc, stack, malformed.body.id)).traceparent).toBeUndefined();
  });
});
