#!/usr/bin/env node
// `npm start`: builds, brings up what is not given (PostgreSQL, NATS, a mail
// catcher), applies migrations and runs the three services as separate
// processes. Ctrl-C or SIGTERM stops everything cleanly.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.join(__dirname, '..');
const env = { ...process.env };
const dataDir = path.resolve(root, env.CLIENTELE_DATA_DIR || '.data');
const children = [];
let stopping = false;

/** The ports `npm start` listens on, by the setting that moves each, with the address it binds. */
const PORTS = {
  PORT: [3000, '0.0.0.0'],
  ACCOUNTS_HTTP_PORT: [3001, '0.0.0.0'],
  NOTIFICATIONS_HTTP_PORT: [3002, '0.0.0.0'],
  EMBEDDED_PG_PORT: [54329, '127.0.0.1'],
  EMBEDDED_NATS_PORT: [4250, '127.0.0.1'],
  MAILDEV_SMTP_PORT: [1025, '127.0.0.1'],
  MAILDEV_WEB_PORT: [1080, '127.0.0.1'],
};

const say = (line) => process.stdout.write(`[start] ${line}\n`);
/** Every failure ends in one line on stderr: what went wrong and what to do, no stack. */
function fail(line) {
  if (stopping) return; // already failing or stopping: the first line said it
  process.stderr.write(`[start] ${String(line).replace(/\s+/g, ' ').trim()}\n`);
  return shutdown(1);
}

function portOf(name) {
  const value = Number(env[name] || PORTS[name][0]);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number`);
  return value;
}

/**
 * Refuses to start when a port it needs is taken, before anything starts:
 * otherwise the first clash surfaces, mid-start, as some child's stack trace.
 * Only the ports of what this start brings up; all taken ones in one line.
 */
async function checkPorts() {
  const wanted = ['PORT', 'ACCOUNTS_HTTP_PORT', 'NOTIFICATIONS_HTTP_PORT'];
  if (!env.DATABASE_URL) wanted.push('EMBEDDED_PG_PORT');
  if (!env.NATS_URL) wanted.push('EMBEDDED_NATS_PORT');
  if (!env.SMTP_URL) wanted.push('MAILDEV_SMTP_PORT', 'MAILDEV_WEB_PORT');
  const byPort = new Map();
  for (const name of wanted) {
    const port = portOf(name);
    if (byPort.has(port)) throw new Error(`${byPort.get(port)} and ${name} are both ${port}: set one of them to another port`);
    byPort.set(port, name);
  }
  const taken = [];
  for (const [port, name] of byPort) {
    const code = await tryListen(port, PORTS[name][1]);
    if (code && code !== 'EADDRINUSE') throw new Error(`port ${port} cannot be used (${code}): set ${name} to another port`);
    if (code) taken.push([port, name]);
  }
  if (taken.length === 1) throw new Error(`port ${taken[0][0]} is already in use: set ${taken[0][1]} to another port`);
  if (taken.length) {
    const list = (items) => `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
    throw new Error(`ports ${list(taken.map(([port]) => port))} are already in use: set ${list(taken.map(([, name]) => name))} to other ports`);
  }
}

/** Listens a moment on the address the service will use: the surest test that it can. */
function tryListen(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error) => resolve(error.code || error.message));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/**
 * One `npm start` per data folder: a second would fight the first over its
 * ports and its PostgreSQL data. The pid file is written whole before it
 * appears (link), removed on exit, and ignored when its process is gone.
 */
function takeLock() {
  const file = path.join(dataDir, 'npm-start.pid');
  const mine = `${file}.${process.pid}`;
  fs.writeFileSync(mine, `${process.pid}\n`);
  try {
    for (;;) {
      try {
        fs.linkSync(mine, file);
        process.on('exit', () => releaseLock(file));
        return;
      } catch (error) {
        if (error.code !== 'EEXIST') throw error;
      }
      let pid;
      try {
        pid = Number(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        if (error.code === 'ENOENT') continue; // its start just stopped
        throw error;
      }
      if (isStartRunning(pid)) {
        throw new Error(`Clientele is already running from this folder (pid ${pid}); stop it first, or set CLIENTELE_DATA_DIR to start another`);
      }
      fs.rmSync(file, { force: true }); // left by a start that was killed
    }
  } finally {
    fs.rmSync(mine, { force: true });
  }
}

function releaseLock(file) {
  try {
    if (Number(fs.readFileSync(file, 'utf8')) === process.pid) fs.rmSync(file);
  } catch {
    // already gone
  }
}

/** Whether that pid is a live `npm start` (after a reboot or in a new container, the pid may be someone else's). */
function isStartRunning(pid) {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start.js');
  } catch {
    return true; // no /proc (macOS): trust the signal
  }
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.end(); resolve(); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

async function waitForReady(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    if (stopping) throw new Error('stopped while starting');
    if (Date.now() > deadline) throw new Error(`the service on port ${port} was not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const shown = (dir) => (dir.startsWith(root) ? path.relative(root, dir) : dir);
const masked = (url) => url.replace(/\/\/[^@]*@/, '//***@');

/** Secrets the installation keeps between runs unless given. */
function loadSecrets() {
  const file = path.join(dataDir, 'secrets.json');
  let saved = {};
  try {
    if (fs.existsSync(file)) saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${shown(file)} is unreadable (${error.message}): fix it, or remove it to have new secrets made`);
  }
  const secrets = {
    PLATFORM_ADMIN_TOKEN: saved.PLATFORM_ADMIN_TOKEN || randomBytes(32).toString('base64url'),
    JWT_SECRET: saved.JWT_SECRET || randomBytes(48).toString('base64'),
  };
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) throw new Error('JWT_SECRET is required with NODE_ENV=production');
  } else {
    env.PLATFORM_ADMIN_TOKEN ||= secrets.PLATFORM_ADMIN_TOKEN;
    env.JWT_SECRET ||= secrets.JWT_SECRET;
  }
}

async function startPostgres() {
  if (env.DATABASE_URL) return say(`PostgreSQL: ${masked(env.DATABASE_URL)}`);
  const port = portOf('EMBEDDED_PG_PORT');
  const databaseDir = path.join(dataDir, 'postgres');
  const child = run('postgres', process.execPath, [path.join(__dirname, 'embedded-postgres.js'), databaseDir, String(port)], {
    infrastructure: true,
    capture: true,
  });
  // Its failures end as one line on its stderr, which run() repeats.
  const [url, where] = await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^ready (\S+) (.+)$/m.exec(out);
      if (match) resolve([match[1], match[2]]);
    });
  });
  env.DATABASE_URL = url;
  const moved = where === databaseDir ? '' : ` (user postgres cannot reach ${shown(dataDir)}; ${shown(databaseDir)} links there)`;
  say(`PostgreSQL: embedded, data in ${shown(where)}${moved}, port ${port}`);
}

async function startNats() {
  if (env.NATS_URL) return say(`NATS: ${env.NATS_URL}`);
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const binary = which.stdout.trim();
  if (!binary) {
    throw new Error('nats-server not found on PATH: install it (Debian/Ubuntu: apt-get install nats-server; macOS: brew install nats-server) or set NATS_URL');
  }
  const port = portOf('EMBEDDED_NATS_PORT');
  const storeDir = path.join(dataDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  run('nats', binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, '-l', path.join(storeDir, 'nats-server.log')], {
    infrastructure: true,
  });
  await waitForPort(port, 10_000);
  env.NATS_URL = `nats://127.0.0.1:${port}`;
  say(`NATS: ${binary} with JetStream, data in ${shown(storeDir)}, port ${port}`);
}

async function startMailCatcher() {
  if (env.SMTP_URL) return say(`SMTP: ${masked(env.SMTP_URL)}`);
  const smtp = portOf('MAILDEV_SMTP_PORT');
  const web = portOf('MAILDEV_WEB_PORT');
  const bin = require.resolve('maildev/bin/maildev');
  run('mail', process.execPath, [bin, '--ip', '127.0.0.1', '--smtp', String(smtp), '--web', String(web), '--silent'], {
    infrastructure: true,
  });
  await waitForPort(smtp, 10_000);
  env.SMTP_URL = `smtp://127.0.0.1:${smtp}`;
  say(`SMTP: mail catcher on port ${smtp}; read the e-mails at http://127.0.0.1:${web}`);
}

/**
 * Infrastructure runs in its own process group, so a terminal's Ctrl-C reaches
 * only the services; this script stops the infrastructure after they drained.
 * A captured child's last line on stderr is its own account of a failure.
 */
function run(name, command, args, { infrastructure = false, capture = false, extraEnv = {} } = {}) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    detached: infrastructure,
    stdio: ['ignore', capture ? 'pipe' : infrastructure ? 'ignore' : 'inherit', capture ? 'pipe' : 'inherit'],
  });
  child.name = name;
  child.infrastructure = infrastructure;
  children.push(child);
  let lastWords = '';
  child.stderr?.on('data', (chunk) => {
    const lines = String(chunk).split('\n').filter((line) => line.trim());
    if (lines.length) lastWords = lines[lines.length - 1];
  });
  child.on('error', (error) => {
    fail(`${name} could not be started: ${error.message}`);
  });
  // 'close', not 'exit': its stderr has been read by then.
  child.on('close', (code, signal) => {
    fail(lastWords || `${name} exited unexpectedly (${signal || `code ${code}`}); stopping everything`);
  });
  return child;
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (children.length) say('stopping…');
  // Services first (they drain and flush), then what they depend on.
  await Promise.all(children.filter((c) => !c.infrastructure).map(stopChild));
  await Promise.all(children.filter((c) => c.infrastructure).map(stopChild));
  process.exit(code);
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

async function main() {
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  fs.mkdirSync(dataDir, { recursive: true });
  takeLock();
  await checkPorts();
  if (!env.CLIENTELE_SKIP_BUILD) {
    say('building…');
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) return fail('the build failed');
    // The partner console at /console: its script and stylesheet, bundled into dist/console.
    const consoleBuild = spawnSync(process.execPath, [path.join(__dirname, 'build-console.js')], { cwd: root, stdio: 'inherit' });
    if (consoleBuild.status !== 0) return fail('the console build failed');
  }
  loadSecrets();
  await startPostgres();
  await startNats();
  await startMailCatcher();
  const { migrate } = require('./migrate');
  await migrate(env.DATABASE_URL, (line) => say(`migrations: ${line}`)).catch((error) => {
    throw new Error(`the migrations failed on ${masked(env.DATABASE_URL)}: ${error.message}`);
  });

  const port = portOf('PORT');
  env.PORT = String(port);
  env.PUBLIC_URL ||= `http://localhost:${port}`;
  const service = path.join(__dirname, 'service.js');
  const accountsPort = portOf('ACCOUNTS_HTTP_PORT');
  const notificationsPort = portOf('NOTIFICATIONS_HTTP_PORT');
  run('accounts', process.execPath, [service, 'accounts'], { extraEnv: { HTTP_PORT: String(accountsPort) } });
  run('notifications', process.execPath, [service, 'notifications'], { extraEnv: { HTTP_PORT: String(notificationsPort) } });
  run('gateway', process.execPath, [service, 'gateway']);
  await Promise.all([accountsPort, notificationsPort, port].map((p) => waitForReady(p, 60_000)));
  say(`ready: API http://localhost:${port}/v1 · docs http://localhost:${port}/docs · console http://localhost:${port}/console`);
  if (env.PLATFORM_ADMIN_TOKEN) process.stdout.write(`PLATFORM_ADMIN_TOKEN=${env.PLATFORM_ADMIN_TOKEN}\n`);
}

process.on('uncaughtException', (error) => fail(error?.message ?? error));
process.on('unhandledRejection', (error) => fail(error?.message ?? error));
main().catch((error) => fail(error.message));
