import { AsyncLocalStorage } from 'node:async_hooks';
import { connect, type NatsConnection } from 'nats';
import { of } from 'rxjs';
import { randomSuffix, testEnvironment } from '@clientele/testing';
import { NatsTransport, RpcClient, WITHOUT_UNIT_OF_WORK } from '@clientele/messaging';

jest.setTimeout(30_000);

/**
 * A service's handlers over real NATS: each request runs in a unit of work
 * of its own (the ORM's request context in the services), except those of a
 * pattern marked `WITHOUT_UNIT_OF_WORK` (reads straight from SQL); whatever
 * a handler returns, a value, a promise or an observable, is its answer.
 */
describe('the NATS transport running handlers', () => {
  let client: NatsConnection;
  let service: NatsConnection;
  let transport: NatsTransport;
  let rpc: RpcClient;
  const unit = new AsyncLocalStorage<number>();
  let units = 0;

  beforeAll(async () => {
    const prefix = `t${randomSuffix()}.`;
    client = await connect({ servers: testEnvironment.natsUrl });
    service = await connect({ servers: testEnvironment.natsUrl });
    transport = new NatsTransport({
      connection: service,
      queue: `q${randomSuffix()}`,
      prefix,
      unitOfWork: (work) => unit.run(++units, work),
      logAnswers: false,
    });
    // A function of its own per pattern, as Nest gives each: the extras are written onto the function.
    const inUnit = () => async () => ({ unit: unit.getStore() ?? null });
    transport.addHandler('t.default', inUnit(), false);
    transport.addHandler('t.read', inUnit(), false, WITHOUT_UNIT_OF_WORK);
    transport.addHandler('t.observable', async () => of(1, 2, 3), false, WITHOUT_UNIT_OF_WORK);
    transport.addHandler('t.value', (() => 'plain') as never, false);
    transport.addHandler('t.fails', async () => Promise.reject(new Error('boom')), false, WITHOUT_UNIT_OF_WORK);
    await new Promise<void>((resolve, reject) => transport.listen((error) => (error ? reject(error) : resolve())));
    await service.flush();
    rpc = new RpcClient(client, prefix, 5_000);
  });
  afterAll(async () => {
    await transport.close();
    await Promise.all([client.close(), service.close()]);
  });

  it('runs each request of an ordinary pattern in a unit of work of its own', async () => {
    const [first, second] = await Promise.all([rpc.request<{ unit: number }>('t.default', {}), rpc.request<{ unit: number }>('t.default', {})]);
    expect(first.unit).toEqual(expect.any(Number));
    expect(second.unit).toEqual(expect.any(Number));
    expect(first.unit).not.toBe(second.unit);
  });

  it('runs a pattern marked WITHOUT_UNIT_OF_WORK outside any unit of work', async () => {
    const before = units;
    expect(await rpc.request('t.read', {})).toEqual({ unit: null });
    expect(units).toBe(before);
  });

  it('answers with what the handler returns: an observable’s last value, a plain value, a failure as 500', async () => {
    expect(await rpc.request('t.observable', {})).toBe(3);
    expect(await rpc.request('t.value', {})).toBe('plain');
    await expect(rpc.request('t.fails', {})).rejects.toMatchObject({ status: 500 });
  });
});
