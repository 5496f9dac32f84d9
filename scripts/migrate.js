#!/usr/bin/env node
// Applies every service's migrations to DATABASE_URL (each service has its own schema).
const path = require('node:path');
const { dist } = require('./paths');

async function migrate(databaseUrl, log = (line) => process.stdout.write(`${line}\n`)) {
  const { migrateAccounts } = require(path.join(dist, 'apps/accounts/src/migrate.js'));
  const { migrateNotifications } = require(path.join(dist, 'apps/notifications/src/migrate.js'));
  for (const [service, run] of [['accounts', migrateAccounts], ['notifications', migrateNotifications]]) {
    const applied = await run(databaseUrl);
    log(`${service}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`);
  }
}

module.exports = { migrate };

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('Missing setting DATABASE_URL: a postgres:// URL to migrate\n');
    process.exit(1);
  }
  migrate(url).catch((error) => {
    process.stderr.write(`migration failed: ${error.message}\n`);
    process.exit(1);
  });
}
