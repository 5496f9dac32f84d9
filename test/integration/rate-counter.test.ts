import { connect, type NatsConnection } from 'nats';
import { randomSuffix, testEnvironment, waitFor } from '@clientele/testing';
import { LocalRateCounter } from '../../apps/gateway/src/limits/local-rate-counter';

jest.setTimeout(30_000);

/**
 * The general rate limit is counted in each gateway replica and shared over
 * NATS in the background (ADR 13). Over real NATS: replicas see each other's
 * counts within a sync, a replica that starts learns the counts so far, and a
 * simultaneous burst stays within the documented bound.
 */
describe('rate counts shared between gateway replicas', () => {
  const limit = { name: 'caller', max: 50, windowMs: 60_000 };
  let connections: NatsConnection[] = [];
  let counters: LocalRateCounter[] = [];
  let subject: string;

  const replica = async () => {
    const nc = await connect({ servers: testEnvironment.natsUrl });
    connections.push(nc);
    const counter = new LocalRateCounter(nc, subject);
    await counter.start();
    counters.push(counter);
    return counter;
  };
  const admitted = (counter: LocalRateCounter, hits: number, value = 'user:1') =>
    Array.from({ length: hits }, () => counter.hit(limit, value)).filter((v) => v.allowed).length;
  /**
   * Counts the reports the replicas publish from now on. `shared(n)` resolves once n of them went out and every
   * replica has taken them in: a flush on a replica's connection returns only after what NATS sent it before.
   * A fixed wait of a few syncs was not enough on a loaded machine.
   */
  const watchReports = async () => {
    const nc = await connect({ servers: testEnvironment.natsUrl });
    connections.push(nc);
    let reports = 0;
    nc.subscribe(`${subject}.counts`, { callback: () => (reports += 1) });
    await nc.flush();
    return {
      shared: async (n: number) => {
        await waitFor(async () => reports >= n, { what: `${n} count reports` });
        await Promise.all(connections.map((c) => c.flush()));
      },
    };
  };

  beforeEach(() => {
    subject = `t${randomSuffix()}.gateway.limits`;
  });
  afterEach(async () => {
    counters.forEach((c) => c.stop());
    await Promise.all(connections.map((nc) => nc.close()));
    connections = [];
    counters = [];
  });

  it('refuses at the limit across replicas once their counts are shared', async () => {
    const [a, b] = [await replica(), await replica()];
    const reports = await watchReports();
    expect(admitted(a, 30)).toBe(30);
    await reports.shared(1);
    expect(admitted(b, 30)).toBe(20);
    const refused = b.hit(limit, 'user:1');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another caller has a budget of its own.
    expect(admitted(b, 5, 'user:2')).toBe(5);
    await waitFor(async () => !a.hit(limit, 'user:1').allowed, { what: 'replica a to learn b\'s hits' });
  });

  it('gives a replica that starts the counts so far', async () => {
    const a = await replica();
    const reports = await watchReports();
    expect(admitted(a, 45)).toBe(45);
    // Reported before the late replica listens: only the snapshot can tell it.
    await reports.shared(1);
    const late = await replica();
    expect(admitted(late, 10)).toBe(5);
  });

  it('admits a simultaneous burst on two replicas within max + (replicas - 1) x max', async () => {
    const [a, b] = [await replica(), await replica()];
    const reports = await watchReports();
    // Neither hears of the other before the burst ends: the worst case the bound allows for.
    const total = admitted(a, 100) + admitted(b, 100);
    expect(total).toBeGreaterThanOrEqual(limit.max);
    expect(total).toBeLessThanOrEqual(2 * limit.max);
    // Once both have reported, both know the window is spent.
    await reports.shared(2);
    expect(admitted(a, 1) + admitted(b, 1)).toBe(0);
  });
});
