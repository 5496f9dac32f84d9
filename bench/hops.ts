/**
 * Where a read's time goes at a trickle (`npm run bench -- --hops-only`):
 * `GET /v1/clients/{id}` at 50 req/s over 4 connections, with the gateway and
 * accounts preloading bench/hop-timing.js, which notes when the request
 * reaches each hop; alternated with the same rate against the skeleton (the
 * same hops with nothing of ours on them), ROUNDS times. Printed, docs
 * untouched: a table per round of each segment's median and its mean over
 * the slowest 2 % of requests (ranked by their time inside the gateway).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLoop, type OpenLoopRequest, type OpenLoopResult } from './open-loop';

const RATE = 50;
const CONNECTIONS = 4;
const SECONDS = 15;
const WARMUP = 3;
const ROUNDS = Number(process.env.BENCH_REPEAT ?? 3);

/** The environment that makes a stack's services note their hops, into a directory of their own. */
export function hopTimingEnv(): { env: Record<string, string>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'clientele-hops-'));
  return { dir, env: { NODE_OPTIONS: `--require ${join(__dirname, 'hop-timing.js')}`, HOP_DIR: dir } };
}

interface Read {
  start: number;
  segments: number[];
  total: number;
}

const SEGMENTS = [
  'gateway: request in → NATS request out (Fastify, Nest router, auth, limit, validation)',
  'NATS: gateway → accounts',
  'accounts: message in → query sent (decode, Nest RPC pipeline, validation, ORM context, query bus)',
  'PostgreSQL: the prepared query, round trip',
  'accounts: answer → reply published',
  'NATS: accounts → gateway',
  'gateway: reply in → response written',
];

/** Each read the gateway answered, its hops joined by request id (gateway, accounts) and by time (the query). */
function readsFrom(dir: string): Read[] {
  const lines = (service: string) =>
    readdirSync(dir)
      .filter((file) => file.startsWith(`${service}-`))
      .flatMap((file) => readFileSync(join(dir, file), 'utf8').trim().split('\n'))
      .map((line) => line.split(' '));
  const http = lines('gateway').filter((l) => l[0] === 'H').map((l) => [Number(l[1]), Number(l[2])]).sort((a, b) => a[0] - b[0]);
  const replies = lines('gateway').filter((l) => l[0] === 'G');
  const accounts = new Map(lines('accounts').filter((l) => l[0] === 'A').map((l) => [l[1], [Number(l[2]), Number(l[3])]]));
  const queries = lines('accounts').filter((l) => l[0] === 'Q').map((l) => [Number(l[1]), Number(l[2])]).sort((a, b) => a[0] - b[0]);
  const reads: Read[] = [];
  for (const [, id, sentText, backText] of replies) {
    const [sent, back] = [Number(sentText), Number(backText)];
    const request = latestAtOrBefore(http, sent);
    const handled = accounts.get(id);
    if (!request || request[1] < back || !handled) continue;
    const query = queries[indexAtOrAfter(queries, handled[0])];
    if (!query || query[1] > handled[1]) continue;
    const [start, end] = request;
    const [taken, published] = handled;
    reads.push({
      start,
      total: end - start,
      segments: [sent - start, taken - sent, query[0] - taken, query[1] - query[0], published - query[1], back - published, end - back],
    });
  }
  return reads;
}

function indexAtOrAfter(sorted: number[][], at: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid][0] < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

function latestAtOrBefore(sorted: number[][], at: number): number[] | undefined {
  const i = indexAtOrAfter(sorted, at);
  return sorted[i]?.[0] === at ? sorted[i] : sorted[i - 1];
}

const ms = (value: number) => value.toFixed(2);

function table(reads: Read[]): string {
  if (!reads.length) throw new Error('no read could be followed through every hop: is bench/hop-timing.js still in step with the services?');
  const byTotal = [...reads].sort((a, b) => a.total - b.total);
  const slowest = byTotal.slice(-Math.max(1, Math.floor(reads.length / 50)));
  const medianOf = (pick: (r: Read) => number) => [...reads].map(pick).sort((a, b) => a - b)[Math.floor(reads.length / 2)];
  const meanOf = (rs: Read[], pick: (r: Read) => number) => rs.reduce((sum, r) => sum + pick(r), 0) / rs.length;
  return [
    '| segment | median ms | mean of the slowest 2 % |',
    '|---|---|---|',
    ...SEGMENTS.map((name, k) => `| ${name} | ${ms(medianOf((r) => r.segments[k]))} | ${ms(meanOf(slowest, (r) => r.segments[k]))} |`),
    `| inside the gateway, in all | ${ms(medianOf((r) => r.total))} | ${ms(meanOf(slowest, (r) => r.total))} |`,
  ].join('\n');
}

/**
 * ROUNDS of: ours at RATE, then the skeleton at RATE. `dir` is where the
 * stack's services (started with `hopTimingEnv()`) write their hops.
 */
export async function hopsCase(options: { baseUrl: string; dir: string; gets: OpenLoopRequest[]; skeletonUrl: string; skeletonGets: OpenLoopRequest[] }): Promise<string> {
  const out: string[] = [];
  const fixed = (url: string, requests: OpenLoopRequest[]) => openLoop(url, { rate: RATE, seconds: SECONDS, warmup: WARMUP, connections: CONNECTIONS, requests });
  const line = (name: string, r: OpenLoopResult) => `${name} p50 ${r.p50} ms, p99 ${r.p99} ms`;
  for (let round = 0; round < ROUNDS; round++) {
    const from = Date.now() + WARMUP * 1000;
    const ours = await fixed(options.baseUrl, options.gets);
    const skeleton = await fixed(options.skeletonUrl, options.skeletonGets);
    // The lines are written once a second: wait for the last of them.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const reads = readsFrom(options.dir).filter((r) => r.start >= from && r.start <= from + SECONDS * 1000);
    out.push(`Round ${round + 1}: ${line('ours', ours)}; ${line('the skeleton', skeleton)}; ${reads.length} reads timed at every hop.`, '', table(reads), '');
  }
  return out.join('\n');
}
