import { AckPolicy, DeliverPolicy, connect } from 'nats';
import { EVENTS_STREAM } from '@clientele/contracts';
import { waitFor } from '@clientele/testing';
import { startChaosEnvironment, type ChaosEnvironment, type ChaosTopology, type Replica } from './environment';
import { CarefulClient, startLoad, type Attempted } from './load';

/** One fault, injected under load. `inject` resolves when the fault is over (the process is back, the cut mended). */
export interface Phase {
  id: number;
  name: string;
  topology: ChaosTopology['natsNodes'];
  inject(env: ChaosEnvironment, log: (line: string) => void): Promise<void>;
}

export interface PhaseResult {
  phase: string;
  tried: number;
  acknowledged: number;
  refused: number;
  /** Acknowledged creates with no client, and clients no acknowledged create made. */
  clientsMissing: number;
  clientsExtra: number;
  eventsLost: number;
  eventsDoubled: number;
  emailsLost: number;
  emailsDoubled: number;
  /** Seconds from the end of the fault to the first create answered 2xx. */
  recoverySeconds: number;
  /** Processes the phase did not kill that are still the same process, and ready; of all such. */
  survivors: string;
  seconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WORKERS = 8;
const LOAD_BEFORE_MS = 3_000;
const LOAD_AFTER_MS = 4_000;

const restartAfter = async (replica: Replica, ms: number, log: (line: string) => void) => {
  log(`kill -9 ${replica.label} (pid ${replica.pid})`);
  await replica.kill();
  await sleep(ms);
  await replica.start();
  log(`${replica.label} started again (pid ${replica.pid})`);
};

export const PHASES: Phase[] = [
  {
    id: 1,
    name: 'kill -9 one of two accounts replicas',
    topology: 1,
    inject: (env, log) => restartAfter(env.of('accounts')[0], 3_000, log),
  },
  {
    id: 2,
    name: 'kill -9 notifications while it sends',
    topology: 1,
    async inject(env, log) {
      // Once e-mails are being handed to SMTP: some are in a sender's hands when it dies.
      await waitFor(async () => env.smtp.messages.length > 0, { timeoutMs: 20_000, what: 'e-mails to flow' });
      await restartAfter(env.of('notifications')[0], 3_000, log);
    },
  },
  {
    id: 3,
    name: 'kill -9 a gateway; the client fails over',
    topology: 1,
    inject: (env, log) => restartAfter(env.of('gateway')[0], 3_000, log),
  },
  {
    id: 4,
    name: 'kill -9 nats-server, restarted on its store',
    topology: 1,
    async inject(env, log) {
      log('kill -9 nats-server');
      await env.nats[0].kill();
      await sleep(2_000);
      await env.nats[0].start();
      log('nats-server started again');
    },
  },
  {
    id: 5,
    name: 'PostgreSQL cut off for 6 s',
    topology: 1,
    async inject(env, log) {
      log('cutting every PostgreSQL connection, refusing new ones');
      await env.dbProxy.cut();
      await sleep(6_000);
      await env.dbProxy.restore();
      log('PostgreSQL reachable again');
    },
  },
  {
    id: 6,
    name: 'three-node NATS: kill -9 the stream leader',
    topology: 3,
    async inject(env, log) {
      const nc = await connect({ servers: env.natsUrl });
      const leaderName = (await (await nc.jetstreamManager()).streams.info(EVENTS_STREAM)).cluster?.leader;
      await nc.close();
      const index = Math.max(0, Number(/\d+$/.exec(leaderName ?? '')?.[0] ?? 1) - 1);
      log(`kill -9 NATS node n${index + 1} (leader of ${EVENTS_STREAM})`);
      await env.nats[index].kill();
      await sleep(5_000);
      await env.nats[index].start();
      log(`NATS node n${index + 1} started again`);
    },
  },
];

/** Runs the phases in order, each on a fresh partner, starting an environment per topology. */
export async function runChaos(phaseIds: number[], log: (line: string) => void = (line) => console.log(line)): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  const phases = PHASES.filter((p) => phaseIds.includes(p.id));
  for (const topology of [1, 3] as const) {
    const mine = phases.filter((p) => p.topology === topology);
    if (!mine.length) continue;
    log(`starting ${topology === 3 ? 'a three-node NATS cluster' : 'one nats-server'}, two replicas of each service`);
    const env = await startChaosEnvironment({ natsNodes: topology, replicas: { gateway: 2, accounts: 2, notifications: 2 } });
    try {
      for (const phase of mine) results.push(await runPhase(env, phase, log));
    } finally {
      await env.close();
    }
  }
  return results;
}

async function runPhase(env: ChaosEnvironment, phase: Phase, log: (line: string) => void): Promise<PhaseResult> {
  const started = Date.now();
  log(`phase ${phase.id}: ${phase.name}`);
  const { partnerId, token } = await newPartner(env, phase.id);
  const before = new Map(env.replicas.map((r) => [r.label, r.pid]));
  const load = startLoad(new CarefulClient(env.gateways, token), WORKERS, `p${phase.id}`);
  await sleep(LOAD_BEFORE_MS);
  await phase.inject(env, (line) => log(`  ${line}`));
  const faultEnded = Date.now();
  await sleep(LOAD_AFTER_MS);
  await load.stop();
  log(`  load stopped: ${load.attempts.length} creates tried; waiting for quiet`);
  await quiet(env);
  const result = await count(env, phase, partnerId, load.attempts, faultEnded);
  const killed = new Set(env.replicas.filter((r) => r.pid !== before.get(r.label)).map((r) => r.label));
  const others = env.replicas.filter((r) => !killed.has(r.label));
  const alive = (await Promise.all(others.map(async (r) => r.pid === before.get(r.label) && (await r.ready())))).filter(Boolean).length;
  result.survivors = `${alive}/${others.length}`;
  result.seconds = Math.round((Date.now() - started) / 1000);
  return result;
}

async function newPartner(env: ChaosEnvironment, phase: number): Promise<{ partnerId: string; token: string }> {
  const email = `partner-${phase}-${Date.now()}@chaos.test`;
  const password = 'correct horse battery staple';
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${env.gateways[0]}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<Record<string, string>>;
  };
  const partner = await post(
    '/v1/partners',
    {
      type: 'distributor',
      accountName: `Chaos partner ${phase} ${Date.now()}`,
      companyName: 'Chaos Distribution S.L.',
      address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
      owner: { firstName: 'Pia', lastName: 'Partner', email, password },
    },
    env.operatorToken,
  );
  const signedIn = await post('/v1/auth/token', { email, password });
  return { partnerId: partner.id, token: signedIn.accessToken };
}

/** Quiet: every event published and handled, no e-mail waiting or being sent, twice in a row a second apart. */
async function quiet(env: ChaosEnvironment): Promise<void> {
  const nc = await connect({ servers: env.natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    let calm = 0;
    await waitFor(
      async () => {
        const [outbox] = await env.db.query<{ n: string }>('select count(*) as n from accounts.outbox where sent_at is null');
        const [emails] = await env.db.query<{ n: string }>(`select count(*) as n from notifications.email where status in ('queued', 'sending') and send_at <= now()`);
        const consumer = await jsm.consumers.info(EVENTS_STREAM, 'notifications');
        const busy = Number(outbox.n) + Number(emails.n) + consumer.num_pending + consumer.num_ack_pending;
        calm = busy === 0 ? calm + 1 : 0;
        return calm >= 2;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what: 'the system to be quiet' },
    );
  } finally {
    await nc.close();
  }
}

async function count(env: ChaosEnvironment, phase: Phase, partnerId: string, attempts: Attempted[], faultEnded: number): Promise<PhaseResult> {
  const acked = attempts.filter((a) => a.id);
  const clients = await env.db.query<{ id: string }>(`select client_id as id from accounts.relationship where parent_id = $1`, [partnerId]);
  const existing = new Set(clients.map((c) => c.id));
  const ackedIds = new Set(acked.map((a) => a.id!));
  const events = await createdEventsPerClient(env);
  const mails = new Map<string, number>();
  for (const message of env.smtp.messages) {
    for (const to of [message.to].flat()) for (const { address } of to?.value ?? []) if (address) mails.set(address, (mails.get(address) ?? 0) + 1);
  }
  const firstAfter = Math.min(...acked.map((a) => a.answeredAt!).filter((t) => t >= faultEnded));
  return {
    phase: `${phase.id}. ${phase.name}`,
    tried: attempts.length,
    acknowledged: acked.length,
    refused: attempts.filter((a) => a.refusal).length,
    clientsMissing: [...ackedIds].filter((id) => !existing.has(id)).length,
    clientsExtra: [...existing].filter((id) => !ackedIds.has(id)).length,
    eventsLost: [...existing].filter((id) => !events.get(id)).length,
    eventsDoubled: [...existing].reduce((sum, id) => sum + Math.max(0, (events.get(id) ?? 0) - 1), 0),
    emailsLost: acked.filter((a) => !mails.get(a.ownerEmail.toLowerCase())).length,
    emailsDoubled: acked.reduce((sum, a) => sum + Math.max(0, (mails.get(a.ownerEmail.toLowerCase()) ?? 0) - 1), 0),
    recoverySeconds: Number.isFinite(firstAfter) ? Math.round((firstAfter - faultEnded) / 100) / 10 : -1,
    survivors: '',
    seconds: 0,
  };
}

/** Reads every `client.created` event on the stream: how many times each client's creation was published. */
async function createdEventsPerClient(env: ChaosEnvironment): Promise<Map<string, number>> {
  const nc = await connect({ servers: env.natsUrl });
  const perClient = new Map<string, number>();
  try {
    const jsm = await nc.jetstreamManager();
    const name = `chaos-count-${Date.now()}`;
    await jsm.consumers.add(EVENTS_STREAM, {
      name,
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
      filter_subject: 'accounts.events.client.created',
      inactive_threshold: 60_000_000_000,
    });
    const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, name);
    for (;;) {
      const { num_pending } = await consumer.info();
      if (!num_pending) break;
      const batch = await consumer.fetch({ max_messages: 500, expires: 2_000 });
      for await (const m of batch) {
        const subject = m.json<{ subject: string }>().subject;
        perClient.set(subject, (perClient.get(subject) ?? 0) + 1);
      }
    }
    await jsm.consumers.delete(EVENTS_STREAM, name);
  } finally {
    await nc.close();
  }
  return perClient;
}

/** The table docs/reliability.md shows. */
export function table(results: PhaseResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.phase} | ${r.acknowledged} / ${r.tried}${r.refused ? ` (${r.refused} refused)` : ''} | ${r.clientsMissing} / ${r.clientsExtra} | ` +
      `${r.eventsLost} / ${r.eventsDoubled} | ${r.emailsLost} / ${r.emailsDoubled} | ${r.recoverySeconds < 0 ? 'never' : `${r.recoverySeconds} s`} | ${r.survivors} | ${r.seconds} s |`,
  );
  return [
    '| fault | creates 2xx / tried | clients missing / extra | `client.created` lost / doubled | invitation e-mails lost / doubled | fault end → first create | survivors untouched and ready | phase took |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * What must hold after every phase: each acknowledged create made exactly one
 * client and one `client.created` event, nothing was refused or lost, no
 * survivor needed a restart. E-mails are never lost, and doubled only when
 * notifications itself was killed (those in SMTP's hands at that instant).
 */
export function violations(r: PhaseResult): string[] {
  const found: string[] = [];
  const check = (ok: boolean, what: string) => ok || found.push(`${r.phase}: ${what}`);
  check(r.acknowledged === r.tried && r.refused === 0, `${r.tried - r.acknowledged} creates not acknowledged (${r.refused} refused)`);
  check(r.clientsMissing === 0 && r.clientsExtra === 0, `${r.clientsMissing} clients missing, ${r.clientsExtra} extra`);
  check(r.eventsLost === 0 && r.eventsDoubled === 0, `${r.eventsLost} client.created events lost, ${r.eventsDoubled} doubled`);
  check(r.emailsLost === 0, `${r.emailsLost} invitation e-mails lost`);
  check(r.emailsDoubled === 0 || r.phase.startsWith('2.'), `${r.emailsDoubled} invitation e-mails doubled`);
  check(r.recoverySeconds >= 0, 'no create succeeded after the fault');
  const [alive, all] = r.survivors.split('/');
  check(alive === all, `survivors ${r.survivors}`);
  return found;
}
