/**
 * `npm run bench`: drives POST /v1/clients and GET /v1/clients/{id} through the
 * whole stack (gateway → NATS → accounts → PostgreSQL, outbox → JetStream →
 * notifications) with autocannon, then the same insert through a minimal
 * single-process Fastify + pg server on the same database, and reports the
 * ratio; then the bulk cases (bench/bulk.ts: an import of 1,000 rows, a CSV
 * export of 200,000 clients). Writes the figures into docs/benchmarks.md.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, freePort, startStack, testEnvironment, waitFor } from '@clientele/testing';
import { EventTypes } from '@clientele/contracts';
import { migrateAccounts } from '../apps/accounts/src/migrate';
import { migrateNotifications } from '../apps/notifications/src/migrate';
import { encodeCursor } from '../apps/accounts/src/shared/cursor';
import { AccountsConfig } from '../apps/accounts/src/config';
import { NotificationsConfig } from '../apps/notifications/src/config';
import { openLoop, type OpenLoopRequest, type OpenLoopResult } from './open-loop';
import { bulkCases } from './bulk';
import { liveHeapMb } from './live-heap';
import { hopTimingEnv, hopsCase } from './hops';

const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROOT = join(__dirname, '..');
/** Services write their logs to files (one folder per stack), never to a pipe this process must keep reading. */
const logDir = () => mkdtempSync(join(tmpdir(), 'clientele-bench-'));
/**
 * What the test stack shortens for its suites' sake, back at what ships, for the cases that measure requests as
 * an operator runs the services: a pool of 10 connections, not 5, and the e-mail sender looking for due e-mails
 * every second, not every 200 ms (new e-mails wake it at once either way).
 */
const shipped = (): Record<string, string> => ({
  DATABASE_POOL_MAX: String(new AccountsConfig().DATABASE_POOL_MAX),
  SEND_INTERVAL: new NotificationsConfig().SEND_INTERVAL,
});
/**
 * The services' settings for the request-path cases: as shipped, the per-caller limit on but never refusing (what
 * is measured is what counting costs), and BENCH_NODE_OPTIONS passed on (a preload tried).
 */
const measuredSettings = (): Record<string, string> => ({
  ...shipped(),
  RATE_LIMIT_PER_CALLER: '100000000/1m',
  ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
});

interface Figures { rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number }

let seq = 0;
const clientBody = () => {
  seq += 1;
  return clientBodyNamed(`${process.pid}-${seq}`);
};
/** A client's body whose owner is not invited (`invitation.send: none`): a create with no e-mail after it. */
const silentClientBody = () => JSON.stringify({ ...JSON.parse(clientBody()), invitation: { send: 'none' } });
/** A client's body whose names end in `n` ("{n}" for the open-loop generator, which numbers each request). */
const clientBodyNamed = (n: string) =>
  JSON.stringify({
    accountName: `Bench ${n}`,
    companyName: `Bench Company ${n}`,
    address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
    owner: { firstName: 'Bench', lastName: 'Owner', email: `bench-${n}@bench.test` },
  });

/**
 * CPU time (ms) used so far by each process that takes part in a request, by
 * name; PostgreSQL's and nats-server's processes each by pid, so that a
 * backend that exits between two snapshots (an idle pool connection closed)
 * takes only its own time out of the sum, not its whole life's.
 */
function cpuSnapshot(pids: Record<string, number | undefined>): Record<string, number> {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const cpuOf = (pid: number) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      return 0;
    }
  };
  const byName: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) if (pid) byName[name] = cpuOf(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let comm = '';
    try {
      comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres' || comm === 'nats-server') byName[`${comm}#${entry}`] = cpuOf(Number(entry));
  }
  const self = process.cpuUsage();
  byName.autocannon = (self.user + self.system) / 1000;
  return byName;
}

/** CPU per request by process name between two snapshots: processes present at the end, each from its own start. */
function cpuPerRequest(before: Record<string, number>, after: Record<string, number>, requests: number): string {
  const byName: Record<string, number> = {};
  for (const [key, ms] of Object.entries(after)) {
    const name = key.split('#')[0];
    byName[name] = (byName[name] ?? 0) + ms - (before[key] ?? 0);
  }
  return Object.entries(byName)
    .map(([name, ms]) => [name, ms / requests] as const)
    .filter(([, ms]) => ms > 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
    .join(' · ');
}

async function drive(url: string, request: autocannon.Request, duration = DURATION): Promise<Figures> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration, requests: [request] });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}

const PAGE_CLIENTS = Number(process.env.BENCH_PAGE_CLIENTS ?? 200_000);
const PAGE_SIZE = 100;

/**
 * Keyset pagination: with PAGE_CLIENTS clients under one parent, the page
 * at position 2,000 must cost no more than 1.5 times the first, for every sort.
 */
async function pagingCase(stack: Awaited<ReturnType<typeof startStack>>, token: string, parentId: string): Promise<string> {
  await stack.db.query(
    `insert into accounts.account (id, type, account_name, company_name, billing_emails, status, address, language, currency,
       settings, credit_balance, is_partner, created_at, updated_at, version)
     select gen_random_uuid(), 'customer', 'Bulk ' || md5(i::text), 'Company ' || md5((i * 7)::text), '[]',
       case when i % 10 = 0 then 'inactive' else 'active' end, '{"country":"ES","region":"M","city":"M"}', 'en', 'USD', '{}', 0, false,
       now() - make_interval(secs => i), now(), 1
     from generate_series(1, $1::int) i`,
    [PAGE_CLIENTS],
  );
  await stack.db.query(
    `insert into accounts.relationship (id, parent_id, client_id, status, account_name, company_name, client_status, client_type, client_created_at, created_at)
     select gen_random_uuid(), $1, a.id, 'active', a.account_name, a.company_name, a.status, a.type, a.created_at, a.created_at
     from accounts.account a where a.account_name like 'Bulk %'`,
    [parentId],
  );
  await stack.db.query('analyze accounts.relationship');
  const headers = { authorization: `Bearer ${token}` };
  const lines = ['| sort | first page p50 ms | page 2,000 p50 ms | ratio | first page req/s | page 2,000 req/s |', '|---|---|---|---|---|---|'];
  const offset = Math.min(PAGE_CLIENTS - PAGE_SIZE, 1_999 * PAGE_SIZE);
  const keys: Record<string, string> = {
    accountName: 'lower(account_name)', '-companyName': 'lower(company_name)', status: 'client_status', '-createdAt': 'client_created_at',
  };
  for (const [sort, expr] of Object.entries(keys)) {
    const direction = sort.startsWith('-') ? 'desc' : 'asc';
    const [row] = await stack.db.query<{ key: string; id: string }>(
      `select ${expr}::text as key, client_id as id from accounts.relationship where parent_id = $1 and status = 'active'
        order by ${expr} ${direction}, client_id ${direction} offset ${offset - 1} limit 1`,
      [parentId],
    );
    const cursor = encodeCursor({ sort, value: row.key, id: row.id });
    const first = await drive(stack.baseUrl, { method: 'GET', path: `/v1/clients?sort=${sort}&limit=${PAGE_SIZE}`, headers }, 5);
    const deep = await drive(stack.baseUrl, { method: 'GET', path: `/v1/clients?sort=${sort}&limit=${PAGE_SIZE}&cursor=${cursor}`, headers }, 5);
    lines.push(`| ${sort} | ${first.p50} | ${deep.p50} | ${(deep.p50 / Math.max(first.p50, 1)).toFixed(2)} | ${first.rps} | ${deep.rps} |`);
  }
  return [
    `${PAGE_CLIENTS.toLocaleString('en')} clients under one parent, pages of ${PAGE_SIZE}; page 2,000 starts at row ${offset.toLocaleString('en')}. Target: ratio ≤ 1.5.`,
    '',
    ...lines,
  ].join('\n');
}

const EXPIRIES = Number(process.env.BENCH_EXPIRIES ?? 100_000);

/**
 * The expiry path: EXPIRIES invitations past their window, with their
 * deadlines due. notifications' sweep claims them, accounts expires them and
 * removes the owners (with two events each), the relay publishes the events.
 */
async function expiryCase(stack: Awaited<ReturnType<typeof startStack>>): Promise<string> {
  await stack.db.query(`
    with a as (
      insert into accounts.account (id, type, account_name, company_name, billing_emails, status, address, language, currency,
        settings, credit_balance, is_partner, created_at, updated_at, version)
      select gen_random_uuid(), 'customer', 'Expiry ' || i, 'Expiry Co ' || i, '[]', 'active', '{"country":"ES","region":"M","city":"M"}',
        'en', 'USD', '{}', 0, false, now(), now(), 1 from generate_series(1, $1::int) i
      returning id),
    u as (
      insert into accounts."user" (id, account_id, email, first_name, last_name, role, is_owner, status, created_at, updated_at, version)
      select gen_random_uuid(), a.id, 'expiry-' || a.id || '@bench.test', 'E', 'X', 'admin', true, 'invited', now(), now(), 1 from a
      returning id, account_id)
    insert into accounts.invitation (id, user_id, account_id, status, send_mode, token_hash, send_at, sent_at, expires_at, created_at, updated_at, version)
    select gen_random_uuid(), u.id, u.account_id, 'sent', 'now', md5(u.id::text), now() - interval '15 days', now() - interval '14 days',
      now() + interval '1 hour', now(), now(), 1 from u`,
    [EXPIRIES],
  );
  // Everything is in place; from now on the deadlines are due.
  // The bench's invitations carry md5(user id) as their (unusable) token hash: touch only those.
  const mine = `i.status = 'sent' and i.token_hash = md5(i.user_id::text)`;
  await stack.db.query(`update accounts.invitation i set expires_at = now() - interval '1 second' where ${mine}`);
  const pids = { gateway: stack.pid('gateway'), accounts: stack.pid('accounts'), notifications: stack.pid('notifications') };
  const cpuBefore = cpuSnapshot(pids);
  const started = Date.now();
  await stack.db.query(
    `insert into notifications.deadline (id, kind, invitation_id, client_id, due_at, created_at)
     select gen_random_uuid(), 'invitation-expiry', i.id, i.account_id, now() - interval '1 second', now() from accounts.invitation i where ${mine}
     on conflict (kind, invitation_id) do update set due_at = excluded.due_at, done_at = null, claimed_until = null`,
  );
  const count = async (sql: string) => Number((await stack.db.query<{ n: string }>(sql))[0].n);
  await waitFor(async () => (await count(`select count(*) as n from accounts.invitation where status = 'expired' and token_hash = md5(user_id::text)`)) >= EXPIRIES, {
    timeoutMs: 600_000, intervalMs: 250, what: 'every invitation to expire',
  });
  const expiredAfter = (Date.now() - started) / 1000;
  await waitFor(async () => (await count(`select count(*) as n from accounts.outbox where sent_at is null`)) === 0, {
    timeoutMs: 600_000, intervalMs: 250, what: 'every event to be published',
  });
  const publishedAfter = (Date.now() - started) / 1000;
  await waitFor(async () => (await count(`select count(*) as n from notifications.handled_event where type = '${EventTypes.ownerInvitationExpired}'`)) >= EXPIRIES, {
    timeoutMs: 600_000, intervalMs: 250, what: 'notifications to handle every expiry event',
  });
  const handledAfter = (Date.now() - started) / 1000;
  const cpu = cpuPerRequest(cpuBefore, cpuSnapshot(pids), EXPIRIES / 1000);
  const removed = await count(`select count(*) as n from accounts."user" where status = 'removed' and email like 'expiry-%@bench.test'`);
  return [
    `${EXPIRIES.toLocaleString('en')} invitations past their window, deadlines due at once. Target: ≥ 2,000 expiries per second.`,
    '',
    '| measure | seconds | per second |',
    '|---|---|---|',
    `| all expired and their owners removed (${removed.toLocaleString('en')}) | ${expiredAfter.toFixed(1)} | ${Math.round(EXPIRIES / expiredAfter)} |`,
    `| and all ${(EXPIRIES * 2).toLocaleString('en')} events published to JetStream | ${publishedAfter.toFixed(1)} | ${Math.round((EXPIRIES * 2) / publishedAfter)} events |`,
    `| and every expiry event handled by notifications | ${handledAfter.toFixed(1)} | ${Math.round(EXPIRIES / handledAfter)} |`,
    '',
    `CPU milliseconds per 1,000 expiries, by process, over the whole run: ${cpu}`,
  ].join('\n');
}

/**
 * Scale-out on this machine: the same create load with one and two accounts
 * replicas, then with two notifications replicas too. Measures the API's
 * creates per second and how soon every invitation e-mail has gone out. On
 * 2 shared cores more processes cannot add CPU; what this shows is that
 * replicas share the work without doing any of it twice.
 */
async function replicasCase(stack: Awaited<ReturnType<typeof startStack>>, headers: Record<string, string>): Promise<string> {
  const sentInvitations = async () =>
    Number((await stack.db.query<{ n: string }>(`select count(*) as n from notifications.email where kind = 'invitation' and status = 'sent'`))[0].n);
  const doubled = async () =>
    Number((await stack.db.query<{ n: string }>(`select count(*) - count(distinct recipient) as n from notifications.email where kind = 'invitation' and status = 'sent'`))[0].n);
  const round = async (accounts: number, notifications: number) => {
    const before = await sentInvitations();
    const started = Date.now();
    const f = await drive(stack.baseUrl, { method: 'POST', path: '/v1/clients', headers, setupRequest: (r) => ({ ...r, body: clientBody() }) }, 10);
    const created = f.total - f.non2xx;
    await waitFor(async () => (await sentInvitations()) - before >= created, { timeoutMs: 180_000, intervalMs: 200, what: 'every invitation e-mail to go out' });
    const seconds = (Date.now() - started) / 1000;
    return `| ${accounts} | ${notifications} | ${f.rps} | ${f.p99} | ${seconds.toFixed(1)} | ${Math.round(created / seconds)} |`;
  };
  const rows = [await round(1, 1)];
  await stack.startReplica('accounts');
  rows.push(await round(2, 1));
  await stack.startReplica('notifications');
  rows.push(await round(2, 2));
  return [
    `Creates for 10 s at ${CONNECTIONS} connections, each with an invitation e-mail; the clock stops when the last e-mail of the round is sent.`,
    '',
    '| accounts replicas | notifications replicas | creates/s | p99 ms | last e-mail sent after (s) | e-mails/s over the round |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Invitation e-mails sent twice to one owner over all rounds: ${await doubled()}.`,
  ].join('\n');
}

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
/** Seconds each speed case runs unmeasured first. */
const WARMUP = 3;
const MAIL_SECONDS = Number(process.env.BENCH_MAIL_SECONDS ?? 60);
const SPLIT_SECONDS = Number(process.env.BENCH_SPLIT_SECONDS ?? 10);
const IDLE_WAIT_MS = 87_000;

interface SpeedRun {
  getOn: Figures;
  getOff: Figures;
  /** 1 − reads with the limit ÷ without, over on, off, off, on. */
  limitCost: number;
  half: OpenLoopResult;
  slow: OpenLoopResult;
  halfFloor: OpenLoopResult;
  slowFloor: OpenLoopResult;
  halfSkeleton: OpenLoopResult;
  slowSkeleton: OpenLoopResult;
  list: Figures;
  create: Figures;
  baseline: Figures;
  mail: { rps: number; emailsPerSecond: number; backlogAt10: number; backlogAtEnd: number };
  cpuGet: string;
  cpuCreate: string;
  cpuMail: string;
  split: { creates: number; cpuCreate: string; emails: number; seconds: number; cpuEmail: string };
}

/** Reads at a fixed rate, evenly spaced, for DURATION seconds after a warm-up at that rate (`bench/open-loop.ts`). */
const fixed = (url: string, rate: number, connections: number, requests: OpenLoopRequest[]) =>
  openLoop(url, { rate, seconds: DURATION, warmup: WARMUP, connections, requests });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Resident memory of a process, in MB, from /proc. */
function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/**
 * Every request path the speed work targets, side by side in one run and
 * repeated REPEAT times (the median is reported): reads with the general rate
 * limit on and off (a second gateway with RATE_LIMIT_PER_CALLER=0), reads at
 * half their top rate and at a trickle, the first page of a list, creates
 * without an invitation against the one-process baseline, creates with the
 * invitation e-mail for MAIL_SECONDS while the e-mail backlog is watched, and
 * each service's resident memory when idle.
 */
async function speedCase(): Promise<string> {
  // The SMTP server in a process of its own, as a real one would be: in this process it would wait on the load generator.
  const smtpPort = await freePort();
  const smtpSink = spawn(process.execPath, [join(__dirname, 'smtp-sink.js')], { env: { ...process.env, PORT: String(smtpPort) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => smtpSink.stdout!.once('data', resolve));
  const stack = await startStack({
    migrations: [migrateAccounts, migrateNotifications],
    logDir: logDir(),
    parseMail: false,
    env: { ...measuredSettings(), SMTP_URL: `smtp://127.0.0.1:${smtpPort}` },
  }).catch((error) => {
    smtpSink.kill('SIGTERM');
    throw error;
  });
  const basePort = await freePort();
  const baseline = spawn(process.execPath, [join(__dirname, 'baseline-server.js')], { env: { ...process.env, DATABASE_URL: stack.db.url, PORT: String(basePort) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const skeleton = await startSkeleton(stack).catch(async (error) => {
    baseline.kill('SIGTERM');
    smtpSink.kill('SIGTERM');
    await stack.close();
    throw error;
  });
  const skeletonPort = skeleton.port;
  try {
    // Resident memory just after start-up, and once idle: V8 gives back start-up's garbage (most of it a young
    // generation grown to its full 32 MB while modules load) when nothing has happened for a while. Its memory
    // reducer ran 20–35 s after start in most runs, but not within 43 s in one (the gateway still at 122 MB), so
    // the reading waits 90 s: what a service that has sat idle holds, not a race with V8's timer.
    const rssNow = () => ({ gateway: rssMb(stack.pid('gateway')), accounts: rssMb(stack.pid('accounts')), notifications: rssMb(stack.pid('notifications')) });
    const started = await new Promise((r) => setTimeout(r, 3_000)).then(rssNow);
    const idle = await new Promise((r) => setTimeout(r, IDLE_WAIT_MS)).then(rssNow);
    const offPort = await stack.startReplica('gateway', { RATE_LIMIT_PER_CALLER: '0' });
    const off = `http://127.0.0.1:${offPort}`;
    await new Promise((resolve) => baseline.stdout!.once('data', resolve));
    const { partner, token, signIn } = await benchPartner(stack);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const ids = await createClients(stack, token, silentClientBody);
    let i = 0;
    const getOne: autocannon.Request = { method: 'GET', headers, setupRequest: (r) => ({ ...r, path: `/v1/clients/${ids[i++ % ids.length]}` }) };
    const pids = { gateway: stack.pid('gateway'), accounts: stack.pid('accounts'), notifications: stack.pid('notifications'), 'smtp sink': smtpSink.pid };
    const sent = async () => Number((await stack.db.query<{ n: string }>(`select count(*) as n from notifications.email where kind = 'invitation' and status = 'sent'`))[0].n);
    const runs: SpeedRun[] = [];
    // Each run starts from quiet: the previous run's e-mails and events done, so no case pays for another's work.
    const quiet = () =>
      waitFor(
        async () =>
          (await stack.db.query<{ n: string }>(
            `select (select count(*) from notifications.email where status in ('queued', 'sending')) + (select count(*) from accounts.outbox where sent_at is null) as n`,
          ))[0].n === '0',
        { timeoutMs: 300_000, intervalMs: 500, what: 'the e-mails and events of the last run to be done' },
      );
    /**
     * Quiet, then the database vacuumed and its statistics gathered: this
     * machine's PostgreSQL runs with autovacuum off, so without this the
     * queues' dead rows of every earlier case (e-mails claimed and sent,
     * events published) stay in their indexes for each later case to walk
     * past, and the planner keeps the statistics of an empty database. A
     * production database has autovacuum on, doing this as it goes.
     */
    const tidy = async () => {
      await quiet();
      await stack.db.query('vacuum analyze');
    };
    /**
     * The create and its e-mail measured apart: creates whose invitation is
     * scheduled for a moment after the run, then, when it comes, the e-mails
     * alone while that backlog drains (no creates beside them).
     */
    const splitCase = async () => {
      await tidy();
      const due = new Date(Date.now() + (SPLIT_SECONDS + 5) * 1000).toISOString();
      const scheduledPost: autocannon.Request = {
        method: 'POST', path: '/v1/clients', headers, setupRequest: (r) => ({ ...r, body: JSON.stringify({ ...JSON.parse(clientBody()), invitation: { send: 'scheduled', sendAt: due } }) }),
      };
      const beforeCreates = cpuSnapshot(pids);
      const creates = await drive(stack.baseUrl, scheduledPost, SPLIT_SECONDS);
      const cpuCreate = cpuPerRequest(beforeCreates, cpuSnapshot(pids), creates.total);
      await waitFor(async () => Date.now() >= Date.parse(due), { timeoutMs: 60_000, intervalMs: 50, what: 'the scheduled e-mails to be due' });
      const sentBefore = await sent();
      const beforeEmails = cpuSnapshot(pids);
      const started = Date.now();
      await quiet();
      const emails = (await sent()) - sentBefore;
      return { creates: creates.total, cpuCreate, emails, seconds: (Date.now() - started) / 1000, cpuEmail: cpuPerRequest(beforeEmails, cpuSnapshot(pids), emails) };
    };
    for (let run = 0; run < REPEAT; run++) {
      // Each run with a token of its own (a run takes some 7 minutes): every request of every case must be answered as
      // the partner's, never 401, or what is measured is refusals.
      headers.authorization = `Bearer ${await signIn()}`;
      await tidy();
      await drive(stack.baseUrl, getOne, WARMUP);
      const before = cpuSnapshot(pids);
      const getOn = await drive(stack.baseUrl, getOne);
      const cpuGet = cpuPerRequest(before, cpuSnapshot(pids), getOn.total);
      await drive(off, getOne, WARMUP);
      const getOff = await drive(off, getOne);
      // The limit's cost from on, off, off, on (each 15 s): a machine that drifts faster or slower over the minute
      // weighs on both sides alike, where one pair gave whichever came second the drift (-14 to +13 % run to run).
      const getOff2 = await drive(off, getOne);
      const getOn2 = await drive(stack.baseUrl, getOne);
      const limitCost = 1 - (getOn.rps + getOn2.rps) / (getOff.rps + getOff2.rps);
      // Fixed rates, evenly spaced, and the same rates against a bare Fastify answer: the machine's own floor.
      // Each after a warm-up at its rate, as the autocannon cases: what sat idle in the case before is woken first.
      const gets = ids.map((id: string) => ({ path: `/v1/clients/${id}`, headers: { authorization: headers.authorization } }));
      const ping = [{ path: '/ping' }];
      const skeletonGets = ids.map((id: string) => ({ path: `/clients/${id}` }));
      const halfRate = Math.round(getOn.rps / 2);
      const half = await fixed(stack.baseUrl, halfRate, CONNECTIONS, gets);
      const halfFloor = await fixed(`http://127.0.0.1:${basePort}`, halfRate, CONNECTIONS, ping);
      const slow = await fixed(stack.baseUrl, 50, 4, gets);
      const slowFloor = await fixed(`http://127.0.0.1:${basePort}`, 50, 4, ping);
      const halfSkeleton = await fixed(`http://127.0.0.1:${skeletonPort}`, halfRate, CONNECTIONS, skeletonGets);
      const slowSkeleton = await fixed(`http://127.0.0.1:${skeletonPort}`, 50, 4, skeletonGets);
      const list = await drive(stack.baseUrl, { method: 'GET', path: '/v1/clients?limit=100', headers });
      const silentPost: autocannon.Request = { method: 'POST', path: '/v1/clients', headers, setupRequest: (r) => ({ ...r, body: silentClientBody() }) };
      await drive(stack.baseUrl, silentPost, WARMUP);
      const beforeCreate = cpuSnapshot(pids);
      const create = await drive(stack.baseUrl, silentPost);
      const cpuCreate = cpuPerRequest(beforeCreate, cpuSnapshot(pids), create.total);
      const baseHeaders = { 'content-type': 'application/json', 'x-parent-id': partner.body.id };
      const basePost: autocannon.Request = { method: 'POST', path: '/clients', headers: baseHeaders, setupRequest: (r) => ({ ...r, body: clientBody() }) };
      await drive(`http://127.0.0.1:${basePort}`, basePost, WARMUP);
      const base = await drive(`http://127.0.0.1:${basePort}`, basePost);
      // With the e-mail: the backlog is what was created and not yet sent.
      await tidy();
      const sentBefore = await sent();
      let created = 0;
      let backlogAt10 = 0;
      const sampler = setTimeout(async () => (backlogAt10 = created - ((await sent()) - sentBefore)), 10_000);
      const mailPost: autocannon.Request = { method: 'POST', path: '/v1/clients', headers, setupRequest: (r) => ({ ...r, body: clientBody() }) };
      const beforeMail = cpuSnapshot(pids);
      const mailResult = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon({ url: stack.baseUrl, connections: CONNECTIONS, duration: MAIL_SECONDS, requests: [mailPost] }, (error, result) =>
          error ? reject(error) : resolve(result),
        );
        instance.on('response', (_client, status) => { if (status === 201) created += 1; });
      });
      clearTimeout(sampler);
      const cpuMail = cpuPerRequest(beforeMail, cpuSnapshot(pids), created);
      const backlogAtEnd = created - ((await sent()) - sentBefore);
      const mail = { rps: Math.round(created / MAIL_SECONDS), emailsPerSecond: Math.round(((await sent()) - sentBefore) / MAIL_SECONDS), backlogAt10, backlogAtEnd };
      const split = await splitCase();
      const refused = Object.entries({ getOn, getOff, getOff2, getOn2, half, halfFloor, slow, slowFloor, halfSkeleton, slowSkeleton, list, create, base })
        .filter(([, figures]) => figures.non2xx + figures.errors > 0)
        .map(([name, figures]) => `${name}: ${figures.non2xx} not 2xx, ${figures.errors} errors`);
      if (mailResult.non2xx + mailResult.errors > 0) refused.push(`mail: ${mailResult.non2xx} not 2xx, ${mailResult.errors} errors`);
      if (refused.length) throw new Error(`speed run ${run + 1} measured failures, not answers: ${refused.join('; ')}`);
      runs.push({ getOn, getOff, limitCost, half, slow, halfFloor, slowFloor, halfSkeleton, slowSkeleton, list, create, baseline: base, mail, cpuGet, cpuCreate, cpuMail, split });
      process.stdout.write(`speed run ${run + 1}: GET ${getOn.rps} (limit off ${getOff.rps}; limit costs ${Math.round(limitCost * 100)} %), p99 at half rate ${half.p99} ms (skeleton ${halfSkeleton.p99}), at 50/s ${slow.p99} ms (skeleton ${slowSkeleton.p99}), page ${list.rps}, create ${create.rps} vs ${base.rps}, with e-mail ${mail.rps} (${mail.emailsPerSecond} e-mails/s)\n`);
    }
    const m = (pick: (r: SpeedRun) => number) => median(runs.map(pick));
    const mid = runs.find((r) => r.getOn.rps === m((r) => r.getOn.rps))!;
    const row = (path: string, before: string, now: string, target: string) => `| ${path} | ${before} | ${now} | ${target} |`;
    // Each run's own on, off, off, on: the machine's drift between runs is larger than the limit's cost.
    const costs = runs.map((r) => Math.round(r.limitCost * 100));
    const limitCost = median(costs);
    return [
      `Run on ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${CONNECTIONS} connections unless said, ${DURATION} s per case after a ${WARMUP} s warm-up, the median of ${REPEAT} runs (each run's figures are printed by the bench).`,
      '',
      '| path | before the speed work | now (median) | target |',
      '|---|---|---|---|',
      row('`GET /v1/clients/{id}`, limit on', '360 req/s, p99 107 ms', `${m((r) => r.getOn.rps)} req/s, p99 ${m((r) => r.getOn.p99)} ms`, '≥ 1,500 req/s'),
      row('the same, `RATE_LIMIT_PER_CALLER=0`', '672 req/s, p99 52 ms', `${m((r) => r.getOff.rps)} req/s, p99 ${m((r) => r.getOff.p99)} ms; the limit costs ${limitCost} % (each run on, off, off, on: ${costs.join(' · ')} %)`, 'limit ≤ 10 %'),
      row('`GET /v1/clients/{id}` at half its top rate (evenly spaced)', 'p99 82 ms', `p50 ${m((r) => r.half.p50)} ms, p99 ${m((r) => r.half.p99)} ms (${m((r) => r.half.rps)} req/s); at that rate the same hops bare (skeleton): p50 ${m((r) => r.halfSkeleton.p50)} ms, p99 ${m((r) => r.halfSkeleton.p99)} ms; a bare Fastify answer: p99 ${m((r) => r.halfFloor.p99)} ms`, 'p99 ≤ 10 ms'),
      row('`GET /v1/clients/{id}` at 50 req/s, 4 connections (evenly spaced)', 'p50 3–5 ms, p99 12–25 ms', `p50 ${m((r) => r.slow.p50)} ms, p99 ${m((r) => r.slow.p99)} ms; the same hops bare (skeleton): p50 ${m((r) => r.slowSkeleton.p50)} ms, p99 ${m((r) => r.slowSkeleton.p99)} ms; a bare Fastify answer: p50 ${m((r) => r.slowFloor.p50)} ms, p99 ${m((r) => r.slowFloor.p99)} ms`, 'p99 ≤ 5 ms'),
      row('`GET /v1/clients?limit=100`, first page', '~400 req/s', `${m((r) => r.list.rps)} req/s, p99 ${m((r) => r.list.p99)} ms`, '≥ 1,000 req/s'),
      row('`POST /v1/clients` (`invitation.send: none`) ÷ baseline', '0.09–0.14 (150–172 req/s)', `${(m((r) => r.create.rps / r.baseline.rps)).toFixed(2)} (${m((r) => r.create.rps)} ÷ ${m((r) => r.baseline.rps)} req/s)`, '≥ 0.35'),
      row(`\`POST /v1/clients\` with the invitation e-mail, ${MAIL_SECONDS} s`, '172 req/s', `${m((r) => r.mail.rps)} req/s; ${m((r) => r.mail.emailsPerSecond)} e-mails/s; backlog ${m((r) => r.mail.backlogAt10)} at 10 s → ${m((r) => r.mail.backlogAtEnd)} at the end`, '≥ 450 req/s, no backlog growth'),
      row(`idle RSS (after ${IDLE_WAIT_MS / 1000 + 3} s idle; 3 s after start in brackets)`, 'not reported', `gateway ${idle.gateway} MB (${started.gateway}) · accounts ${idle.accounts} MB (${started.accounts}) · notifications ${idle.notifications} MB (${started.notifications})`, '≤ 120 MB each'),
      '',
      'CPU milliseconds per request, by process (from /proc, the median run):',
      '',
      `- read: ${mid.cpuGet}`,
      `- create (no e-mail): ${mid.cpuCreate}`,
      `- create with the e-mail (the e-mails sent during the run; "autocannon" is the bench process; the SMTP sink runs in its own): ${mid.cpuMail}`,
      `- the same apart: a create whose invitation is scheduled for later (${mid.split.creates} in ${SPLIT_SECONDS} s): ${mid.split.cpuCreate}; then each of those e-mails, sent alone once due (${mid.split.emails} in ${mid.split.seconds.toFixed(1)} s): ${mid.split.cpuEmail}`,
    ].join('\n');
  } finally {
    baseline.kill('SIGTERM');
    skeleton.stop();
    smtpSink.kill('SIGTERM');
    await stack.close();
  }
}

/** The read path's hops with nothing of ours on them (bench/skeleton.js): the latency this machine allows the design. */
async function startSkeleton(stack: Awaited<ReturnType<typeof startStack>>): Promise<{ port: number; stop: () => void }> {
  const port = await freePort();
  const env = { ...process.env, NODE_OPTIONS: '', NATS_URL: testEnvironment.natsUrl, SUBJECT: `skeleton.${stack.prefix || process.pid}.read`, DATABASE_URL: stack.db.url, PORT: String(port) };
  const parts = ['responder', 'front'].map((role) => spawn(process.execPath, [join(__dirname, 'skeleton.js')], { env: { ...env, ROLE: role }, stdio: ['ignore', 'pipe', 'inherit'] }));
  const stop = () => parts.forEach((part) => part.kill('SIGTERM'));
  try {
    for (const part of parts) await new Promise((resolve) => part.stdout!.once('data', resolve));
  } catch (error) {
    stop();
    throw error;
  }
  return { port, stop };
}

/** The partner's 200 clients, each created through the API with `body()`; their ids. */
async function createClients(stack: Awaited<ReturnType<typeof startStack>>, token: string, body: () => string): Promise<string[]> {
  for (let i = 0; i < 200; i++) await call(stack.baseUrl, 'POST', '/v1/clients', { token, raw: body(), headers: { 'content-type': 'application/json' } });
  return (await call(stack.baseUrl, 'GET', '/v1/clients?limit=200', { token })).body.data.map((c: { id: string }) => c.id);
}

async function benchPartner(stack: Awaited<ReturnType<typeof startStack>>) {
  const partnerBody = {
    type: 'distributor', accountName: 'Bench Partner', companyName: 'Bench Partner S.L.',
    address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
    owner: { firstName: 'B', lastName: 'P', email: 'bench-partner@bench.test', password: 'bench partner password' },
  };
  const partner = await call(stack.baseUrl, 'POST', '/v1/partners', { token: stack.operatorToken, body: partnerBody });
  /** A new access token: one lives 15 minutes, less than the speed case. */
  const signIn = async () =>
    (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: partnerBody.owner.email, password: partnerBody.owner.password } })).body.accessToken as string;
  return { partner, token: await signIn(), signIn };
}

async function main() {
  if (process.argv.includes('--expiry-only')) return expiryOnly();
  if (process.argv.includes('--replicas-only')) return replicasOnly();
  if (process.argv.includes('--speed-only')) return speedOnly();
  if (process.argv.includes('--soak-only')) return soakOnly();
  if (process.argv.includes('--bulk-only')) return bulkOnly();
  if (process.argv.includes('--hops-only')) return hopsOnly();
  if (process.argv.includes('--tail-only')) return tailOnly();
  const speed = await speedCase();
  process.stdout.write(`\n${speed}\n`);
  const soak = await soakCase();
  process.stdout.write(`\n${soak}\n`);
  const stack = await startStack({ migrations: [migrateAccounts, migrateNotifications], logDir: logDir(), env: { SWEEP_INTERVAL: '200ms' } });
  try {
    const { partner, token } = await benchPartner(stack);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const paging = await pagingCase(stack, token, partner.body.id);
    process.stdout.write(`\n${paging}\n`);
    const expiry = await expiryCase(stack);
    process.stdout.write(`\n${expiry}\n`);
    const replicas = await replicasCase(stack, headers);
    process.stdout.write(`\n${replicas}\n`);
    writeSections({ speed, soak, paging, expiry, replicas });
  } finally {
    await stack.close();
  }
  writeSections(await bulkCases(logDir()));
}

/** `npm run bench -- --bulk-only`: just the import of 1,000 rows and the export of 200,000 clients, written into docs/benchmarks.md. */
async function bulkOnly(): Promise<void> {
  writeSections(await bulkCases(logDir()));
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});

const SOAK_WINDOWS = 6;
const SOAK_WINDOW_S = 10;

/**
 * A minute of reads at 70 % of their top rate, then a minute of creates
 * (with the invitation e-mail) at 70 % of theirs, both evenly spaced, in
 * 10-s windows after a 10-s one to settle: p99 per window and every service's resident memory after
 * each. Stable means the last window's p99 is no worse than twice the
 * first's (or 5 ms over it); no leak means each service's live heap, read
 * after a full collection forced before and after the minute, ends within
 * 10 % (plus 4 MB of caches) of where it started.
 */
async function soakCase(): Promise<string> {
  // Each service opens the V8 inspector on a port of its own: the live heap is read after a full collection.
  const services = ['gateway', 'accounts', 'notifications'] as const;
  const inspector = Object.fromEntries(await Promise.all(services.map(async (name) => [name, await freePort()] as const)));
  const serviceEnv = Object.fromEntries(services.map((name) => [name, { NODE_OPTIONS: `--inspect=127.0.0.1:${inspector[name]}` }]));
  const stack = await startStack({ migrations: [migrateAccounts, migrateNotifications], logDir: logDir(), parseMail: false, env: measuredSettings(), serviceEnv });
  const liveHeaps = () => Promise.all(services.map((name) => liveHeapMb(inspector[name])));
  try {
    const { token } = await benchPartner(stack);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const ids = await createClients(stack, token, clientBody);
    let i = 0;
    const gets: OpenLoopRequest[] = ids.map((id: string) => ({ path: `/v1/clients/${id}`, headers: { authorization: headers.authorization } }));
    const creates: OpenLoopRequest[] = [{ path: '/v1/clients', method: 'POST', headers, body: clientBodyNamed('{n}') }];
    const rss = () => [rssMb(stack.pid('gateway')), rssMb(stack.pid('accounts')), rssMb(stack.pid('notifications'))];
    const topGet = await drive(stack.baseUrl, { method: 'GET', headers, setupRequest: (r) => ({ ...r, path: gets[i++ % gets.length].path }) }, 10);
    const topCreate = await drive(stack.baseUrl, { method: 'POST', path: '/v1/clients', headers, setupRequest: (r) => ({ ...r, body: clientBody() }) }, 10);
    const lines: string[] = [];
    const verdicts: string[] = [];
    for (const [name, top, requests] of [['`GET /v1/clients/{id}`', topGet.rps, gets], ['`POST /v1/clients` with the e-mail', topCreate.rps, creates]] as const) {
      const rate = Math.round(top * 0.7);
      // The live heap before the minute, read ahead of the settling window, so that nothing the inspector's visit
      // leaves behind (a full collection, a debugger session) falls in a counted window.
      const heapBefore = await liveHeaps();
      // A first window at the rate settles what the top-rate measurement left queued; it is not counted.
      await openLoop(stack.baseUrl, { rate, seconds: SOAK_WINDOW_S, connections: CONNECTIONS, requests });
      const start = rss();
      const windows: { p99: number; rps: number; non2xx: number; rss: number[] }[] = [];
      for (let w = 0; w < SOAK_WINDOWS; w++) {
        const result = await openLoop(stack.baseUrl, { rate, seconds: SOAK_WINDOW_S, connections: CONNECTIONS, requests });
        windows.push({ p99: result.p99, rps: result.rps, non2xx: result.non2xx + result.errors, rss: rss() });
      }
      for (const [w, window] of windows.entries()) {
        lines.push(`| ${name} at ${rate} req/s | ${(w + 1) * SOAK_WINDOW_S} s | ${window.rps} | ${window.p99} | ${window.non2xx} | ${window.rss.join(' · ')} |`);
      }
      const end = windows[windows.length - 1];
      const p99Stable = end.p99 <= Math.max(2 * windows[0].p99, windows[0].p99 + 5);
      // A leak is what survives a full collection: the live heap after the minute against before it (a few MB of
      // caches filling up — prepared statements, verified tokens — are not a leak).
      const heapAfter = await liveHeaps();
      const rssAfterGc = rss();
      const noLeak = heapAfter.every((mb, k) => mb <= heapBefore[k] * 1.1 + 4);
      verdicts.push(
        `${name}: p99 ${windows[0].p99} → ${end.p99} ms (${p99Stable ? 'stable' : 'NOT stable'}); ` +
          `live heap after a full collection ${heapBefore.join(' · ')} → ${heapAfter.join(' · ')} MB (${noLeak ? 'flat: no leak' : 'GREW'}); ` +
          `resident ${start.join(' · ')} → ${end.rss.join(' · ')} MB at the end of the minute, ${rssAfterGc.join(' · ')} MB after the full collection; ` +
          `${windows.reduce((n, x) => n + x.non2xx, 0)} answers not 2xx`,
      );
    }
    return [
      `Run on ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; 70 % of each path's top rate (measured first, 10 s with 16 connections: reads ${topGet.rps}, creates ${topCreate.rps} req/s), evenly spaced over ${CONNECTIONS} connections, ${SOAK_WINDOWS} windows of ${SOAK_WINDOW_S} s; resident memory after each window (gateway · accounts · notifications). ` +
        'Resident memory climbs under load and falls at the next full collection (V8 lets garbage gather in its old generation until then); the verdict on leaks is the live heap, read after a full collection forced through the inspector before and after the minute (`bench/live-heap.ts`).',
      '',
      '| path | after | req/s | p99 ms | not 2xx | RSS MB |',
      '|---|---|---|---|---|---|',
      ...lines,
      '',
      ...verdicts.map((v) => `- ${v}`),
    ].join('\n');
  } finally {
    await stack.close();
  }
}

/** `npm run bench -- --soak-only`: just the minute at 70 %, written into docs/benchmarks.md. */
async function soakOnly(): Promise<void> {
  const soak = await soakCase();
  process.stdout.write(`${soak}\n`);
  writeSections({ soak });
}

function writeSections(sections: Record<string, string>): void {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  let doc = readFileSync(file, 'utf8');
  for (const [name, text] of Object.entries(sections)) {
    const start = `<!-- bench:${name}:start -->`;
    const end = `<!-- bench:${name}:end -->`;
    doc = doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${text}\n${end}`);
  }
  writeFileSync(file, doc);
}

/** `npm run bench -- --speed-only`: just the request paths' speed, written into docs/benchmarks.md. */
async function speedOnly(): Promise<void> {
  const speed = await speedCase();
  process.stdout.write(`${speed}\n`);
  writeSections({ speed });
}

/** `npm run bench -- --replicas-only`: just the scale-out case, written into docs/benchmarks.md. */
async function replicasOnly(): Promise<void> {
  const stack = await startStack({ migrations: [migrateAccounts, migrateNotifications], logDir: logDir() });
  try {
    const { token } = await benchPartner(stack);
    const replicas = await replicasCase(stack, { authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    process.stdout.write(`${replicas}\n`);
    writeSections({ replicas });
  } finally {
    await stack.close();
  }
}

/** `npm run bench -- --hops-only`: where a read's time goes at 50 req/s, hop by hop (bench/hops.ts), printed, docs untouched. */
async function hopsOnly(): Promise<void> {
  const timing = hopTimingEnv();
  const stack = await startStack({ migrations: [migrateAccounts, migrateNotifications], logDir: logDir(), parseMail: false, env: { ...measuredSettings(), ...timing.env } });
  try {
    const skeleton = await startSkeleton(stack);
    try {
      const { token } = await benchPartner(stack);
      const ids = await createClients(stack, token, silentClientBody);
      await stack.db.query('vacuum analyze');
      const gets = ids.map((id) => ({ path: `/v1/clients/${id}`, headers: { authorization: `Bearer ${token}` } }));
      const skeletonGets = ids.map((id) => ({ path: `/clients/${id}` }));
      process.stdout.write(`${await hopsCase({ baseUrl: stack.baseUrl, dir: timing.dir, gets, skeletonUrl: `http://127.0.0.1:${skeleton.port}`, skeletonGets })}\n`);
    } finally {
      skeleton.stop();
    }
  } finally {
    await stack.close();
  }
}

/**
 * `npm run bench -- --tail-only`: just the reads' tail, printed, docs untouched. After the speed case's idle
 * minute and a half, the top read rate is measured once (15 s); then, BENCH_REPEAT times, reads at half of it
 * (BENCH_HALF_RATE to fix it) and at 50 req/s, each followed by the skeleton at the same rate, so a change is
 * judged beside what the machine did in the same minutes. BENCH_NODE_OPTIONS reach the services (a preload tried).
 */
async function tailOnly(): Promise<void> {
  const stack = await startStack({
    migrations: [migrateAccounts, migrateNotifications],
    logDir: logDir(),
    parseMail: false,
    env: measuredSettings(),
  });
  try {
    const skeleton = await startSkeleton(stack);
    try {
      // Idle first, as in the speed case: the full collections V8's memory reducer makes in a service that has
      // gone quiet after start-up are over before anything is measured.
      await new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
      const { token } = await benchPartner(stack);
      const ids = await createClients(stack, token, silentClientBody);
      await stack.db.query('vacuum analyze');
      let i = 0;
      const getOne: autocannon.Request = { method: 'GET', headers: { authorization: `Bearer ${token}` }, setupRequest: (r) => ({ ...r, path: `/v1/clients/${ids[i++ % ids.length]}` }) };
      await drive(stack.baseUrl, getOne, WARMUP);
      const top = await drive(stack.baseUrl, getOne);
      const halfRate = Math.round(Number(process.env.BENCH_HALF_RATE ?? top.rps / 2));
      const gets = ids.map((id) => ({ path: `/v1/clients/${id}`, headers: { authorization: `Bearer ${token}` } }));
      const skeletonGets = ids.map((id) => ({ path: `/clients/${id}` }));
      const skeletonUrl = `http://127.0.0.1:${skeleton.port}`;
      const rows: string[] = [];
      const line = (what: string, r: OpenLoopResult) => `| ${what} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${r.non2xx + r.errors} |`;
      process.stdout.write(`top read rate ${top.rps} req/s; half rate ${halfRate}\n`);
      for (let round = 0; round < REPEAT; round++) {
        for (const [what, url, rate, connections, requests] of [
          ['ours, half rate', stack.baseUrl, halfRate, CONNECTIONS, gets],
          ['skeleton, half rate', skeletonUrl, halfRate, CONNECTIONS, skeletonGets],
          ['ours, 50 req/s', stack.baseUrl, 50, 4, gets],
          ['skeleton, 50 req/s', skeletonUrl, 50, 4, skeletonGets],
        ] as const) {
          rows.push(line(`${round + 1}: ${what}`, await fixed(url, rate, connections, [...requests])));
          process.stdout.write(`${rows[rows.length - 1]}\n`);
        }
      }
      process.stdout.write(`\n| round: reads | req/s | p50 ms | p99 ms | max ms | failed |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
    } finally {
      skeleton.stop();
    }
  } finally {
    await stack.close();
  }
}

/** `npm run bench -- --expiry-only`: just the expiry case, printed, docs untouched. */
async function expiryOnly(): Promise<void> {
  const stack = await startStack({ migrations: [migrateAccounts, migrateNotifications], logDir: logDir(), env: { SWEEP_INTERVAL: '200ms', ...(process.env.BENCH_PROFILE_DIR ? { NODE_OPTIONS: `--require ${join(__dirname, "cpu-profile.js")}`, PROFILE_DIR: process.env.BENCH_PROFILE_DIR, PROFILE_MS: process.env.PROFILE_MS ?? "30000" } : {}) } });
  try {
    process.stdout.write(`${await expiryCase(stack)}\n`);
  } finally {
    await stack.close();
  }
}
