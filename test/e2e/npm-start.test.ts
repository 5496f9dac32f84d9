import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StopWaiting, call, freePort, waitFor } from '@clientele/testing';
import { partnerBody } from './fixtures';

jest.setTimeout(120_000);

/**
 * What a new user does: `npm start` with nothing configured brings up its own
 * PostgreSQL, NATS and mail catcher, prints the operator token, serves the
 * API, and stops everything on Ctrl-C.
 */
describe('npm start with nothing configured', () => {
  let child: ChildProcess;
  let output = '';
  let dataDir: string;
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clientele-start-'));
    for (const name of ['PORT', 'ACCOUNTS_HTTP_PORT', 'NOTIFICATIONS_HTTP_PORT', 'EMBEDDED_PG_PORT', 'EMBEDDED_NATS_PORT', 'MAILDEV_SMTP_PORT', 'MAILDEV_WEB_PORT']) {
      ports[name] = await freePort();
    }
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CLIENTELE_DATA_DIR: dataDir, CLIENTELE_SKIP_BUILD: '1' };
    for (const [name, port] of Object.entries(ports)) env[name] = String(port);
    child = spawn(process.execPath, ['scripts/start.js'], { cwd: join(__dirname, '..', '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await waitFor(async () => {
      if (child.exitCode !== null) throw new StopWaiting(`npm start exited: ${output}`);
      return /\[start\] ready:/.test(output) && /PLATFORM_ADMIN_TOKEN=/.test(output);
    }, { timeoutMs: 90_000, what: 'npm start to be ready' });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the operator token, keeps it in its data folder, and serves the API with it', async () => {
    const token = /PLATFORM_ADMIN_TOKEN=(\S+)/.exec(output)![1];
    const saved = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8'));
    expect(saved.PLATFORM_ADMIN_TOKEN).toBe(token);
    expect(saved.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    const baseUrl = `http://127.0.0.1:${ports.PORT}`;
    const body = partnerBody();
    const created = await call(baseUrl, 'POST', '/v1/partners', { token, body });
    expect(created.status).toBe(201);
    const signIn = await call(baseUrl, 'POST', '/v1/auth/token', { body: { email: body.owner.email, password: body.owner.password } });
    expect(signIn.status).toBe(200);
    for (const name of ['ACCOUNTS_HTTP_PORT', 'NOTIFICATIONS_HTTP_PORT']) {
      const ready = await fetch(`http://127.0.0.1:${ports[name]}/health/ready`);
      expect(ready.status).toBe(200);
    }
    const mailUi = await fetch(`http://127.0.0.1:${ports.MAILDEV_WEB_PORT}/`);
    expect(mailUi.status).toBe(200);
  });

  it('stops every process cleanly on SIGINT', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toMatch(/"service":"accounts".*"stopped cleanly"/);
    for (const name of ['PORT', 'EMBEDDED_PG_PORT', 'EMBEDDED_NATS_PORT', 'MAILDEV_SMTP_PORT']) {
      const answered = await fetch(`http://127.0.0.1:${ports[name]}/`).then(() => true, () => false);
      expect([name, answered]).toEqual([name, false]);
    }
  });
});
