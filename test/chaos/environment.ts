import {
  createTestDatabase,
  freePort,
  randomSuffix,
  startNatsCluster,
  startPrivateNats,
  startServiceProcess,
  startTcpProxy,
  startTestSmtp,
  type PrivateNats,
  type ServiceName,
  type ServiceProcess,
  type TcpProxy,
  type TestDatabase,
  type TestSmtp,
} from '@clientele/testing';
import { migrateAccounts } from '../../apps/accounts/src/migrate';
import { migrateNotifications } from '../../apps/notifications/src/migrate';

/** One process slot of a service: killed and started again by the suite, on the same port. */
export class Replica {
  process?: ServiceProcess;

  constructor(
    readonly name: ServiceName,
    readonly index: number,
    readonly port: number,
    private readonly env: Record<string, string>,
    readonly lines: string[],
  ) {}

  get label(): string {
    return `${this.name}#${this.index + 1}`;
  }

  get pid(): number | undefined {
    return this.process?.running() ? this.process.child.pid : undefined;
  }

  async start(): Promise<void> {
    this.process = await startServiceProcess(this.name, this.port, this.env, this.lines, { readyTimeoutMs: 60_000 });
  }

  /** kill -9: no drain, no flush, no goodbye. */
  async kill(): Promise<void> {
    await this.process?.stop('SIGKILL');
  }

  async ready(): Promise<boolean> {
    return fetch(`http://127.0.0.1:${this.port}/health/ready`).then((r) => r.ok, () => false);
  }
}

export interface ChaosEnvironment {
  /** Base URLs of the gateways: a careful client fails over between them. */
  gateways: string[];
  operatorToken: string;
  db: TestDatabase;
  /** The services reach PostgreSQL through it; cutting it is the database going away. */
  dbProxy: TcpProxy;
  smtp: TestSmtp;
  nats: PrivateNats[];
  natsUrl: string;
  replicas: Replica[];
  of(name: ServiceName): Replica[];
  close(): Promise<void>;
}

export interface ChaosTopology {
  /** 1: one nats-server; 3: a three-node JetStream cluster with EVENTS_REPLICAS=3. */
  natsNodes: 1 | 3;
  replicas: Record<ServiceName, number>;
}

/**
 * Everything the suite may kill is its own: nats-server processes, the
 * services (`node scripts/service.js`, several replicas each), a TCP proxy in
 * front of the machine's PostgreSQL and an SMTP server in this process. The
 * machine's PostgreSQL is only reached through the proxy, in a database of
 * the run's own.
 */
export async function startChaosEnvironment(topology: ChaosTopology): Promise<ChaosEnvironment> {
  const cluster = topology.natsNodes === 3 ? await startNatsCluster(3) : undefined;
  const nats = cluster ? cluster.nodes : [await startPrivateNats()];
  const natsUrl = cluster ? cluster.url : nats[0].url;
  const db = await createTestDatabase([migrateAccounts, migrateNotifications]);
  const direct = new URL(db.url);
  const dbProxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const proxied = new URL(db.url);
  proxied.host = `${dbProxy.host}:${dbProxy.port}`;
  const smtp = await startTestSmtp();
  const operatorToken = `operator-${randomSuffix(16)}`;
  const gatewayPorts = await Promise.all(Array.from({ length: topology.replicas.gateway }, () => freePort()));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    NATS_URL: natsUrl,
    EVENTS_REPLICAS: String(topology.natsNodes),
    DATABASE_URL: proxied.toString(),
    DATABASE_POOL_MAX: '5',
    PLATFORM_ADMIN_TOKEN: operatorToken,
    JWT_SECRET: `secret-${randomSuffix(24)}`,
    SMTP_URL: smtp.url,
    PUBLIC_URL: `http://127.0.0.1:${gatewayPorts[0]}`,
    SEND_INTERVAL: '200ms',
    SHUTDOWN_GRACE: '10s',
    // One client drives the load from one address with one token: the general limits stay out of the way.
    RATE_LIMIT_AUTH: '100000/1m',
    RATE_LIMIT_AUTH_PER_IP: '100000/1m',
    RATE_LIMIT_PER_CALLER: '0',
  };
  const lines = new Map<ServiceName, string[]>();
  const replicas: Replica[] = [];
  for (const name of ['accounts', 'notifications', 'gateway'] as const) {
    lines.set(name, []);
    for (let i = 0; i < topology.replicas[name]; i++) {
      const port = name === 'gateway' ? gatewayPorts[i] : await freePort();
      replicas.push(new Replica(name, i, port, env, lines.get(name)!));
    }
  }
  const close = async () => {
    await Promise.all(replicas.map((r) => r.process?.stop('SIGTERM')));
    await dbProxy.close();
    await db.drop();
    await smtp.close();
    await Promise.all(nats.map((n) => n.dispose()));
  };
  try {
    // accounts first: it creates the stream the others use.
    for (const name of ['accounts', 'notifications', 'gateway'] as const) {
      await Promise.all(replicas.filter((r) => r.name === name).map((r) => r.start()));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    gateways: gatewayPorts.map((p) => `http://127.0.0.1:${p}`),
    operatorToken,
    db,
    dbProxy,
    smtp,
    nats,
    natsUrl,
    replicas,
    of: (name) => replicas.filter((r) => r.name === name),
    close,
  };
}
