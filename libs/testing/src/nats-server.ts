import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as natsConnect } from 'nats';
import { freePort, waitFor } from './ports';
import { killOnExit } from './service-process';

export interface PrivateNats {
  url: string;
  /** Stops the server; its JetStream data stays for the next start. */
  stop(): Promise<void>;
  /** Kills the server with SIGKILL, as a crash would; its data stays for the next start. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

/**
 * A nats-server of the test's own (JetStream on, data in a temporary folder),
 * for tests that take the bus away and bring it back.
 */
export async function startPrivateNats(
  options: { config?: string; env?: Record<string, string>; port?: number; storeDir?: string } = {},
): Promise<PrivateNats> {
  const binary = natsServerBinary();
  const port = options.port ?? (await freePort());
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'clientele-nats-'));
  let child: ChildProcess | undefined;

  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => { socket.end(); resolve(true); });
      socket.once('error', () => { socket.destroy(); resolve(false); });
    });

  const end = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  };

  const server: PrivateNats = {
    url: `nats://127.0.0.1:${port}`,
    async start() {
      const args = ['-a', '127.0.0.1', '-p', String(port)];
      if (options.config) {
        // The deployment's file with this test's data folder and no monitoring port.
        const file = join(storeDir, 'nats-server.conf');
        writeFileSync(file, options.config.replace(/^[ \t]*http:.*$/m, '').replace(/store_dir:.*$/m, `store_dir: "${storeDir}"`));
        args.push('-c', file);
      } else {
        args.push('-js', '-sd', storeDir);
      }
      child = spawn(binary, args, { stdio: 'ignore', env: { ...process.env, ...options.env } });
      killOnExit(child);
      await waitFor(listening, { what: `nats-server on port ${port}` });
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    async dispose() {
      await server.stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

function natsServerBinary(): string {
  const binary = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
  if (!binary) throw new Error('nats-server is not on PATH (Debian: apt-get install nats-server)');
  return binary;
}

export interface PrivateNatsCluster {
  nodes: PrivateNats[];
  /** Every node's URL, comma-separated, as NATS_URL takes them. */
  url: string;
  dispose(): Promise<void>;
}

/**
 * A JetStream cluster of the test's own: `size` nats-server processes on
 * loopback with routes to each other, each with its data in a folder of its
 * own. Resolves once
 * JetStream has a meta leader and answers.
 */
export async function startNatsCluster(size = 3): Promise<PrivateNatsCluster> {
  const clientPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const nodes: PrivateNats[] = [];
  const started = clientPorts.map(async (port, i) => {
    const storeDir = mkdtempSync(join(tmpdir(), `clientele-nats-${i + 1}-`));
    const routes = routePorts.filter((_, j) => j !== i).map((p) => `nats-route://127.0.0.1:${p}`);
    const config = [
      `server_name: n${i + 1}`,
      // deploy/nats-cluster adds `sync_interval: always`, which Debian's nats-server 2.9 does not know;
      // a process kill loses nothing either way (the writes are in the kernel's page cache).
      'jetstream {',
      `  store_dir: "${storeDir}"`,
      '}',
      `cluster { name: clientele-test, listen: 127.0.0.1:${routePorts[i]}, routes: [${routes.join(', ')}] }`,
    ].join('\n');
    nodes[i] = await startPrivateNats({ config, port, storeDir });
  });
  await Promise.all(started);
  const url = nodes.map((n) => n.url).join(',');
  await waitFor(
    async () => {
      const nc = await natsConnect({ servers: url });
      try {
        await (await nc.jetstreamManager()).getAccountInfo();
        return true;
      } finally {
        await nc.close();
      }
    },
    { timeoutMs: 30_000, intervalMs: 250, what: 'the NATS cluster to elect a JetStream leader' },
  );
  return { nodes, url, dispose: async () => void (await Promise.all(nodes.map((n) => n.dispose()))) };
}
