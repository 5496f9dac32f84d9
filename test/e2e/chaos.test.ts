import { runChaos, table, violations } from '../chaos/chaos';

jest.setTimeout(600_000);

/**
 * The short form of `npm run chaos`: under a load of careful clients, kill -9
 * an accounts replica, kill -9 nats-server, and cut PostgreSQL off; then count.
 * Every acknowledged create is exactly one client, one `client.created` event
 * and one invitation e-mail, and nothing else was disturbed.
 */
describe('faults under load (npm run chaos, short form)', () => {
  it('loses nothing and doubles nothing when a replica, NATS or PostgreSQL goes away', async () => {
    const lines: string[] = [];
    const results = await runChaos([1, 4, 5], (line) => lines.push(line));
    process.stdout.write(`${table(results)}\n`);
    expect(results).toHaveLength(3);
    for (const result of results) expect(result.acknowledged).toBeGreaterThan(0);
    expect(results.flatMap(violations)).toEqual([]);
  });
});
