import { fork } from 'node:child_process';
import { join } from 'node:path';

export interface OpenLoopResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  total: number;
}

export interface OpenLoopRequest {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** "{n}" becomes a number unique to each request. */
  body?: string;
}

/**
 * Requests at a fixed rate, evenly spaced (an open loop, as wrk2 drives):
 * the n-th request is due at n / rate seconds whatever the earlier ones are
 * doing, over at most `connections` keep-alive connections, and its latency
 * is counted from when it was due, so time spent queued behind a slow answer
 * counts too (no coordinated omission); the generator's own timer lateness
 * does not (it wakes early and waits for the due time, where rates allow).
 * `requests` are sent in turn. `warmup` seconds at the same rate come first
 * and are not counted (connections opened, idle pools and caches woken).
 *
 * The generator runs in a process of its own (bench/open-loop-worker.js), as
 * wrk2 would: in the bench's process it paused with every one of the bench's
 * garbage collections, and the requests due meanwhile were counted late.
 *
 * autocannon's `overallRate` is not this: each connection sends as fast as it
 * can until its share of the second is used up and then waits for the next
 * second, so "half the top rate" is full speed for half of every second and
 * measures a saturated system.
 */
export function openLoop(
  url: string,
  options: { rate: number; seconds: number; warmup?: number; connections: number; requests: OpenLoopRequest[] },
): Promise<OpenLoopResult> {
  const job = { url, rate: options.rate, seconds: options.seconds, warmup: options.warmup ?? 0, connections: options.connections, requests: options.requests };
  const worker = fork(join(__dirname, 'open-loop-worker.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: OpenLoopResult | undefined;
    worker.once('message', (message) => (result = message as OpenLoopResult));
    worker.once('error', reject);
    worker.send(job);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`the load generator exited with ${code} before its answer`))));
  });
}
