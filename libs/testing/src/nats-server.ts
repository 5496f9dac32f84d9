import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './ports';

export interface PrivateNats {
  url: string;
  /** Stops the server; its JetStream data stays for the next start. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

/**
 * A nats-server of the test's own (JetStream on, data in a temporary folder),
 * for tests that take the bus away and bring it back.
 */
export async function startPrivateNats(options: { config?: string; env?: Record<string, string> } = {}): Promise<PrivateNats> {
  const binary = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
  if (!binary) throw new Error('nats-server is not on PATH (Debian: apt-get install nats-server)');
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'clientele-nats-'));
  let child: ChildProcess | undefined;

  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => { socket.end(); resolve(true); });
      socket.once('error', () => { socket.destroy(); resolve(false); });
    });

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
      await waitFor(listening, { what: `nats-server on port ${port}` });
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGTERM');
      });
    },
    async dispose() {
      await server.stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
