// The open-loop load generator, in a process of its own (bench/open-loop.ts
// starts it and reads its answer): a generator sharing a process with the
// bench pauses with the bench's garbage collections, and a request due during
// such a pause is late by it — lateness that would be counted as the
// service's. Here nothing but the requests is allocated, and latencies go
// into a preallocated array, so collections are short and rare.
//
// Takes its job as its first IPC message: { url, rate, seconds, warmup,
// connections, requests: [{ method, path, headers, body }] }. Requests are
// taken in turn; "{n}" in a body becomes a number unique to this process's
// requests, so creates can carry names that do not collide.
const { Agent, request: httpRequest } = require('node:http');
const { performance } = require('node:perf_hooks');
const { setImmediate } = require('node:timers');

/** How early the generator wakes before a request is due, at rates that leave room for it. */
const SPIN_MS = 2;

const unique = `${process.pid}-${Date.now().toString(36)}`;
let job;
let target;
let sequence = 0;

function run(rate, seconds, agent) {
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  let answered = 0;
  let non2xx = 0;
  let errors = 0;
  let due = 0;
  let inFlight = 0;
  const start = performance.now();
  const send = (dueAt) => {
    const spec = job.requests[sequence % job.requests.length];
    sequence += 1;
    const body = spec.body === undefined ? undefined : spec.body.replaceAll('{n}', `${unique}-${sequence}`);
    inFlight += 1;
    const req = httpRequest({ host: target.hostname, port: target.port, path: spec.path, method: spec.method ?? 'GET', headers: spec.headers, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        inFlight -= 1;
        latencies[answered++] = performance.now() - dueAt;
        if (!res.statusCode || res.statusCode >= 300) non2xx += 1;
      });
    });
    req.on('error', () => {
      inFlight -= 1;
      errors += 1;
    });
    req.end(body);
  };
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (due < total && start + (due * 1000) / rate <= now) send(start + (due++ * 1000) / rate);
      if (due >= total) return resolve();
      const wait = start + (due * 1000) / rate - performance.now();
      // A timer fires up to a millisecond or more late, and that lateness would count as the service's. At rates
      // with room between requests the generator wakes early and spins to the due time (at 50 req/s about a
      // tenth of a core); at high rates requests are due faster than timers fire anyway.
      if (1000 / rate < SPIN_MS * 2) setTimeout(tick, Math.max(0, wait));
      else if (wait > SPIN_MS) setTimeout(tick, wait - SPIN_MS);
      else setImmediate(tick);
    };
    tick();
  }).then(async () => {
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const elapsed = (performance.now() - start) / 1000;
    const sorted = latencies.subarray(0, answered).sort();
    const at = (q) => Math.round((sorted[Math.min(answered - 1, Math.floor(q * answered))] ?? NaN) * 10) / 10;
    return { rps: Math.round(answered / elapsed), p50: at(0.5), p99: at(0.99), max: at(1), non2xx, errors, total: answered };
  });
}

process.once('message', async (message) => {
  job = message;
  target = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  // The warm-up opens the connections and wakes what sat idle (pools, caches, compiled code); it is not counted.
  if (job.warmup > 0) await run(job.rate, job.warmup, agent);
  const result = await run(job.rate, job.seconds, agent);
  agent.destroy();
  process.send(result, () => process.exit(0));
});
