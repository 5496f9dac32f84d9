import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StopWaiting, waitFor } from './ports';

export type ServiceName = 'gateway' | 'accounts' | 'notifications';
const ROOT = join(__dirname, '..', '..', '..');

/** Children still running: killed if this process exits without stopping them (a crash, an uncaught error). */
const orphans = new Set<ChildProcess>();
let reaping = false;

/** Kills `child` when this process exits, if it is still running then. */
export function killOnExit(child: ChildProcess): void {
  orphans.add(child);
  child.once('exit', () => orphans.delete(child));
  if (reaping) return;
  reaping = true;
  process.once('exit', () => {
    for (const orphan of orphans) orphan.kill('SIGKILL');
  });
}

/** One running process of a service, as an operator starts it: `node scripts/service.js <name>`. */
export interface ServiceProcess {
  name: ServiceName;
  /** Its HTTP port: the API for the gateway, /health and /metrics for the others. */
  port: number;
  child: ChildProcess;
  /** Sends a signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  running(): boolean;
}

/**
 * Starts one process of a service from the compiled tree and resolves once
 * its /health/ready answers 200. Everything it prints is appended to `lines`,
 * or, with `logFile`, written by the process itself to that file (benchmarks:
 * a service never waits for this process to read its pipe).
 */
export async function startServiceProcess(
  name: ServiceName,
  port: number,
  env: Record<string, string>,
  lines: string[],
  { readyTimeoutMs = 30_000, logFile }: { readyTimeoutMs?: number; logFile?: string } = {},
): Promise<ServiceProcess> {
  const portEnv = name === 'gateway' ? { PORT: String(port) } : { HTTP_PORT: String(port) };
  const fd = logFile ? openSync(logFile, 'a') : undefined;
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'service.js'), name], {
    cwd: ROOT,
    env: { ...env, ...portEnv },
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
  });
  if (fd !== undefined) closeSync(fd);
  killOnExit(child);
  // A chunk may end inside a line: the rest waits for the next chunk.
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const cut = text.lastIndexOf('\n');
    partial = text.slice(cut + 1);
    if (cut >= 0) for (const line of text.slice(0, cut).split('\n')) if (line) lines.push(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const lastLines = () => (logFile ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : lines).slice(-5).join('\n');
  const running = () => child.exitCode === null && child.signalCode === null;
  const service: ServiceProcess = {
    name,
    port,
    child,
    running,
    stop: (signal = 'SIGTERM') =>
      running()
        ? new Promise((resolve) => {
            child.once('exit', (code) => resolve(code));
            child.kill(signal);
          })
        : Promise.resolve(child.exitCode),
  };
  try {
    await waitFor(
      async () => {
        if (!running()) throw new StopWaiting(`${name} exited with ${child.exitCode ?? child.signalCode}: ${lastLines()}`);
        return (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `${name} to be ready` },
    );
  } catch (error) {
    await service.stop('SIGKILL');
    throw error;
  }
  return service;
}
