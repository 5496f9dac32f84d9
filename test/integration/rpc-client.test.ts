import { connect, type NatsConnection } from 'nats';
import { randomSuffix, testEnvironment } from '@clientele/testing';
import { RpcClient, RpcError } from '@clientele/messaging';

jest.setTimeout(30_000);

/**
 * The gateway's requests over real NATS: each reply reaches the request it
 * answers, however many are in flight and in whatever order they come back;
 * a request without an answer in time is a 504, and its answer arriving
 * afterwards is dropped, never handed to a later request.
 */
describe('request/reply between a gateway and a service', () => {
  let client: NatsConnection;
  let service: NatsConnection;
  let prefix: string;

  beforeEach(async () => {
    prefix = `t${randomSuffix()}.`;
    client = await connect({ servers: testEnvironment.natsUrl });
    service = await connect({ servers: testEnvironment.natsUrl });
  });
  afterEach(async () => {
    await Promise.all([client.close(), service.close()]);
  });

  /** A service echoing `n`, after `delayMs` when the request names one. */
  const echo = () =>
    service.subscribe(`${prefix}echo.say`, {
      callback: (_error, msg) => {
        const { n, delayMs } = msg.json<{ n: number; delayMs?: number }>();
        setTimeout(() => msg.respond(JSON.stringify({ ok: true, data: { n } })), delayMs ?? 0);
      },
    });

  it('matches every reply to its own request when they come back out of order', async () => {
    echo();
    await service.flush();
    const rpc = new RpcClient(client, prefix, 5_000);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, n) => rpc.request<{ n: number }>('echo.say', { n, delayMs: (n * 7) % 23 })),
    );
    expect(answers.map((a) => a.n)).toEqual(Array.from({ length: 200 }, (_, n) => n));
  });

  it('answers 504 at the deadline and drops the late answer', async () => {
    echo();
    await service.flush();
    const rpc = new RpcClient(client, prefix, 5_000);
    const late = rpc.request('echo.say', { n: 1, delayMs: 300 }, { timeoutMs: 100 });
    await expect(late).rejects.toMatchObject({ status: 504 });
    await expect(late).rejects.toBeInstanceOf(RpcError);
    // The late answer lands while the next request waits; the next one still gets its own.
    const next = rpc.request<{ n: number }>('echo.say', { n: 2, delayMs: 400 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await next).toEqual({ n: 2 });
  });

  it('answers 503 at once when no service listens', async () => {
    const rpc = new RpcClient(client, prefix, 5_000);
    const started = Date.now();
    await expect(rpc.request('nobody.home', {})).rejects.toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
