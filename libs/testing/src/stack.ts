import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'nats';
import { createTestDatabase, type TestDatabase } from './database';
import { randomSuffix, testEnvironment } from './environment';
import { freePort } from './ports';
import { startServiceProcess, type ServiceName, type ServiceProcess } from './service-process';
import { startTestSmtp, type TestSmtp } from './smtp';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

export type { ServiceName } from './service-process';

export interface Stack {
  baseUrl: string;
  operatorToken: string;
  prefix: string;
  db: TestDatabase;
  /** With `databaseProxy`: the proxy the services reach PostgreSQL through (the test's own queries go direct). */
  dbProxy?: TcpProxy;
  /** The SMTP server notifications sends to. */
  smtp: TestSmtp;
  ports: Record<ServiceName, number>;
  /** Every line a service printed so far (JSON logs). */
  logs(name: ServiceName): string[];
  /** The process id of a running service. */
  pid(name: ServiceName): number | undefined;
  stop(name: ServiceName, signal?: NodeJS.Signals): Promise<number | null>;
  start(name: ServiceName): Promise<void>;
  /** Starts one more process of a service (another replica); stopped by close(). */
  /** Another process of the service on its own port (answered), sharing the database and NATS. */
  startReplica(name: ServiceName, env?: Record<string, string>): Promise<number>;
  /** Stops the services, drops the database and deletes the run's stream. */
  close(): Promise<void>;
}

type Migrate = (databaseUrl: string) => Promise<unknown>;

/**
 * Starts the three services as separate processes from the compiled tree, on
 * the machine's NATS and PostgreSQL, in a fresh database and under a NATS
 * prefix of their own, so test files never see each other's data.
 */
export interface StackOptions {
  migrations: Migrate[];
  env?: Record<string, string>;
  /** Settings for one service only (e.g. its NATS user). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Another NATS server than the machine's; its subjects are not prefixed and it is left as it is at close. */
  natsUrl?: string;
  /** Services reach PostgreSQL through a TCP proxy the test can cut (`stack.dbProxy`). */
  databaseProxy?: boolean;
  /** False: the SMTP server counts messages without parsing them (benchmarks; `smtp.messages` stays empty). */
  parseMail?: boolean;
  /**
   * Services write their output to files in this folder instead of a pipe to
   * this process (benchmarks: the load generator's process never holds a
   * service up); `logs()` reads them back.
   */
  logDir?: string;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const db = await createTestDatabase(options.migrations);
  const dbUrl = new URL(db.url);
  const dbProxy = options.databaseProxy ? await startTcpProxy({ host: dbUrl.hostname, port: Number(dbUrl.port || 5432) }) : undefined;
  if (dbProxy) dbUrl.host = `${dbProxy.host}:${dbProxy.port}`;
  const smtp = await startTestSmtp({ parse: options.parseMail ?? true });
  const prefix = options.natsUrl ? '' : `t${randomSuffix()}`;
  const operatorToken = `operator-${randomSuffix(16)}`;
  const ports: Record<ServiceName, number> = {
    gateway: await freePort(),
    accounts: await freePort(),
    notifications: await freePort(),
  };
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    NATS_URL: options.natsUrl ?? testEnvironment.natsUrl,
    NATS_PREFIX: prefix,
    DATABASE_URL: dbUrl.toString(),
    DATABASE_POOL_MAX: '5',
    PLATFORM_ADMIN_TOKEN: operatorToken,
    JWT_SECRET: `secret-${randomSuffix(24)}`,
    SMTP_URL: smtp.url,
    PUBLIC_URL: `http://127.0.0.1:${ports.gateway}`,
    SEND_INTERVAL: '200ms',
    SHUTDOWN_GRACE: '10s',
    // Suites drive many requests from one address and one token; the security suite sets real limits.
    RATE_LIMIT_AUTH: '100000/1m',
    RATE_LIMIT_AUTH_PER_IP: '100000/1m',
    RATE_LIMIT_PER_CALLER: '100000/1m',
    ...options.env,
  };
  const running = new Map<ServiceName, ServiceProcess>();
  const history = new Map<ServiceName, string[]>();
  const logFiles = new Map<ServiceName, string[]>();

  const replicas: ServiceProcess[] = [];
  const start = async (name: ServiceName, replica = false, env: Record<string, string> = {}) => {
    const port = replica ? await freePort() : ports[name];
    const lines = history.get(name) ?? [];
    history.set(name, lines);
    const logFile = options.logDir ? join(options.logDir, `${name}-${port}.log`) : undefined;
    if (logFile) logFiles.set(name, [...(logFiles.get(name) ?? []), logFile]);
    const service = await startServiceProcess(name, port, { ...baseEnv, ...options.serviceEnv?.[name], ...env }, lines, { logFile });
    if (replica) replicas.push(service);
    else running.set(name, service);
    return port;
  };

  const stop = async (name: ServiceName, signal: NodeJS.Signals = 'SIGTERM') => {
    const service = running.get(name);
    if (!service) return null;
    running.delete(name);
    return service.stop(signal);
  };

  // Every start settles before a failure is handled: a service that came up after another one failed
  // is stopped too, never left running (it would keep the test runner from exiting).
  const started = await Promise.allSettled([start('accounts'), start('notifications'), start('gateway')]);
  const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) {
    await Promise.all([...running.keys()].map((name) => stop(name, 'SIGKILL')));
    await dbProxy?.close();
    await db.drop();
    await smtp.close();
    throw failed.reason;
  }

  return {
    baseUrl: `http://127.0.0.1:${ports.gateway}`,
    operatorToken,
    prefix,
    db,
    dbProxy,
    smtp,
    ports,
    logs: (name) =>
      options.logDir
        ? (logFiles.get(name) ?? []).flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean))
        : (history.get(name) ?? []),
    pid: (name) => running.get(name)?.child.pid,
    stop,
    start: async (name) => {
      await start(name);
    },
    startReplica: (name, env) => start(name, true, env),
    async close() {
      await Promise.all([
        ...[...running.keys()].map((name) => stop(name)),
        ...replicas.map((replica) => replica.stop()),
      ]);
      await dbProxy?.close();
      await db.drop();
      await smtp.close();
      if (prefix) {
        await deleteStream(`${prefix.toUpperCase()}_ACCOUNTS`);
        await deleteStream(`KV_${prefix.toUpperCase()}_RATE_LIMITS`);
      }
    },
  };
}

export async function deleteStream(name: string): Promise<void> {
  const nc = await connect({ servers: testEnvironment.natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(name).catch(() => undefined);
  } finally {
    await nc.close();
  }
}
