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

const say = (line) => process.stdout.write(`[start] ${line}\n`);
function fail(line) {
  process.stderr.write(`[start] ${line}\n`);
  return shutdown(1);
}

function portOf(name, fallback) {
  const value = Number(env[name] || fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number`);
  return value;
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

/** Secrets the installation keeps between runs unless given. */
function loadSecrets() {
  const file = path.join(dataDir, 'secrets.json');
  const saved = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
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
  if (env.DATABASE_URL) return say(`PostgreSQL: ${env.DATABASE_URL.replace(/\/\/[^@]*@/, '//***@')}`);
  const port = portOf('EMBEDDED_PG_PORT', 54329);
  const databaseDir = path.join(dataDir, 'postgres');
  const child = run('postgres', process.execPath, [path.join(__dirname, 'embedded-postgres.js'), databaseDir, String(port)], {
    infrastructure: true,
    capture: true,
  });
  env.DATABASE_URL = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^ready (\S+)$/m.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error('the embedded PostgreSQL did not start')));
  });
  say(`PostgreSQL: embedded, data in ${shown(databaseDir)}, port ${port}`);
}

async function startNats() {
  if (env.NATS_URL) return say(`NATS: ${env.NATS_URL}`);
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const binary = which.stdout.trim();
  if (!binary) {
    throw new Error('nats-server not found on PATH: install it (Debian/Ubuntu: apt-get install nats-server; macOS: brew install nats-server) or set NATS_URL');
  }
  const port = portOf('EMBEDDED_NATS_PORT', 4250);
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
  if (env.SMTP_URL) return say(`SMTP: ${env.SMTP_URL.replace(/\/\/[^@]*@/, '//***@')}`);
  const smtp = portOf('MAILDEV_SMTP_PORT', 1025);
  const web = portOf('MAILDEV_WEB_PORT', 1080);
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
 */
function run(name, command, args, { infrastructure = false, capture = false, extraEnv = {} } = {}) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    detached: infrastructure,
    stdio: ['ignore', capture ? 'pipe' : infrastructure ? 'ignore' : 'inherit', 'inherit'],
  });
  child.name = name;
  child.infrastructure = infrastructure;
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) fail(`${name} exited unexpectedly (${signal || `code ${code}`}); stopping everything`);
  });
  return child;
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
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
  // As root, the embedded PostgreSQL runs as the `postgres` user, which must reach its folder.
  if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o755);
  if (!env.CLIENTELE_SKIP_BUILD) {
    say('building…');
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) return fail('the build failed');
  }
  loadSecrets();
  await startPostgres();
  await startNats();
  await startMailCatcher();
  const { migrate } = require('./migrate');
  await migrate(env.DATABASE_URL, (line) => say(`migrations: ${line}`));

  const port = portOf('PORT', 3000);
  env.PORT = String(port);
  env.PUBLIC_URL ||= `http://localhost:${port}`;
  const service = path.join(__dirname, 'service.js');
  const accountsPort = portOf('ACCOUNTS_HTTP_PORT', 3001);
  const notificationsPort = portOf('NOTIFICATIONS_HTTP_PORT', 3002);
  run('accounts', process.execPath, [service, 'accounts'], { extraEnv: { HTTP_PORT: String(accountsPort) } });
  run('notifications', process.execPath, [service, 'notifications'], { extraEnv: { HTTP_PORT: String(notificationsPort) } });
  run('gateway', process.execPath, [service, 'gateway']);
  await Promise.all([accountsPort, notificationsPort, port].map((p) => waitForReady(p, 60_000)));
  say(`ready: API http://localhost:${port}/v1 · docs http://localhost:${port}/docs`);
  if (env.PLATFORM_ADMIN_TOKEN) process.stdout.write(`PLATFORM_ADMIN_TOKEN=${env.PLATFORM_ADMIN_TOKEN}\n`);
}

main().catch((error) => fail(error.message));
