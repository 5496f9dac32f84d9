import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Runs `script` in a Node process of its own (the library loaded from its
 * TypeScript source), with `logger` a JsonLogger on the real stdout.
 */
function runChild(script: string, onStderr?: (text: string, child: ReturnType<typeof spawn>) => void) {
  const prelude = `
    const { JsonLogger } = require('./libs/observability/src/json-logger');
    const { onShutdownSignals } = require('./libs/observability/src/shutdown');
    const logger = new JsonLogger('svc', 'info');
  `;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', prelude + script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    onStderr?.(stderr, child);
  });
  const done = new Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stderr, lines: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) })),
  );
  return { child, done, stdout: () => stdout };
}

const messages = (lines: Record<string, unknown>[]) => lines.map((l) => l.msg);

describe('log lines waiting for their batch', () => {
  jest.setTimeout(30_000);

  it('are written when the process calls process.exit', async () => {
    const { done } = runChild(`
      logger.log('first');
      logger.warn('about to exit');
      process.exit(3);
    `);

    const { code, lines } = await done;

    expect(code).toBe(3);
    expect(messages(lines)).toEqual(['first', 'about to exit']);
  });

  it('are written when the process dies of an uncaught error', async () => {
    const { done } = runChild(`
      logger.error({ msg: 'about to fail', errorId: 'e-1' });
      setImmediate(() => { throw new Error('boom'); });
    `);

    const { code, lines, stderr } = await done;

    expect(code).toBe(1);
    expect(lines).toEqual([expect.objectContaining({ level: 'error', msg: 'about to fail', errorId: 'e-1' })]);
    expect(stderr).toContain('boom');
  });

  it('are written on a graceful shutdown, the last ones included', async () => {
    const { done } = runChild(
      `
      onShutdownSignals(logger, 5000, async () => { logger.warn('draining'); });
      logger.log('ready');
      setInterval(() => {}, 1000);
      process.stderr.write('listening\\n');
    `,
      (stderr, child) => {
        if (stderr.includes('listening')) child.kill('SIGTERM');
      },
    );

    const { code, lines } = await done;

    expect(code).toBe(0);
    expect(messages(lines)).toEqual(['ready', 'SIGTERM received: draining', 'draining', 'stopped cleanly']);
  });

  it('are written within moments by a quiet process that goes on running', async () => {
    const { child, done, stdout } = runChild(`
      logger.log('alone');
      setInterval(() => {}, 1000);
    `);

    const started = Date.now();
    while (!stdout().includes('alone') && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    const { lines } = await done;

    expect(messages(lines)).toEqual(['alone']);
  });
});
