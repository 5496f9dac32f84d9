import { Agent, request as httpRequest } from 'node:http';

export interface OpenLoopResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  total: number;
}

/** How early the generator wakes before a request is due, at rates that leave room for it. */
const SPIN_MS = 2;

/**
 * Requests at a fixed rate, evenly spaced (an open loop, as wrk2 drives):
 * the n-th request is due at n / rate seconds whatever the earlier ones are
 * doing, over at most `connections` keep-alive connections, and its latency
 * is counted from when it was due, so time spent queued behind a slow answer
 * counts too (no coordinated omission); the generator's own timer lateness
 * does not (it wakes early and waits for the due time, where rates allow).
 *
 * autocannon's `overallRate` is not this: each connection sends as fast as it
 * can until its share of the second is used up and then waits for the next
 * second, so "half the top rate" is full speed for half of every second and
 * measures a saturated system.
 */
export async function openLoop(
  url: string,
  options: { rate: number; seconds: number; connections: number; next: () => { path: string; method?: string; headers?: Record<string, string>; body?: string } },
): Promise<OpenLoopResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let due = 0;
  let inFlight = 0;
  const total = Math.round(options.rate * options.seconds);
  const start = performance.now();
  const send = (dueAt: number) => {
    const { path, method = 'GET', headers, body } = options.next();
    inFlight += 1;
    const req = httpRequest({ host: target.hostname, port: target.port, path, method, headers, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        inFlight -= 1;
        latencies.push(performance.now() - dueAt);
        if (!res.statusCode || res.statusCode >= 300) non2xx += 1;
      });
    });
    req.on('error', () => {
      inFlight -= 1;
      errors += 1;
    });
    req.end(body);
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (due < total && start + (due * 1000) / options.rate <= now) send(start + (due++ * 1000) / options.rate);
      if (due >= total) return resolve();
      const wait = start + (due * 1000) / options.rate - performance.now();
      // A timer fires up to a millisecond or more late, and that lateness would count as the service's. At rates
      // with room between requests the generator wakes early and spins to the due time (at 50 req/s about a
      // tenth of a core); at high rates requests are due faster than timers fire anyway.
      if (1000 / options.rate < SPIN_MS * 2) setTimeout(tick, Math.max(0, wait));
      else if (wait > SPIN_MS) setTimeout(tick, wait - SPIN_MS);
      else setImmediate(tick);
    };
    tick();
  });
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  agent.destroy();
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  return { rps: Math.round(latencies.length / elapsed), p50: at(0.5), p99: at(0.99), max: at(1), non2xx, errors, total: latencies.length };
}
