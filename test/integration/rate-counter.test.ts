import { connect, type NatsConnection } from 'nats';
import { randomSuffix, testEnvironment, waitFor } from '@clientele/testing';
import { LocalRateCounter, SYNC_MS } from '../../apps/gateway/src/limits/local-rate-counter';

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
    expect(admitted(a, 30)).toBe(30);
    await new Promise((resolve) => setTimeout(resolve, SYNC_MS * 6));
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
    expect(admitted(a, 45)).toBe(45);
    // Reported before the late replica listens: only the snapshot can tell it.
    await new Promise((resolve) => setTimeout(resolve, SYNC_MS * 6));
    const late = await replica();
    expect(admitted(late, 10)).toBe(5);
  });

  it('admits a simultaneous burst on two replicas within max + (replicas - 1) x max', async () => {
    const [a, b] = [await replica(), await replica()];
    // Neither hears of the other before the burst ends: the worst case the bound allows for.
    const total = admitted(a, 100) + admitted(b, 100);
    expect(total).toBeGreaterThanOrEqual(limit.max);
    expect(total).toBeLessThanOrEqual(2 * limit.max);
    // After a sync both know the window is spent.
    await new Promise((resolve) => setTimeout(resolve, SYNC_MS * 6));
    expect(admitted(a, 1) + admitted(b, 1)).toBe(0);
  });
});
