// Runs once before the integration and end-to-end tests: PostgreSQL and NATS
// must answer, or the run stops at once with one line naming what is missing.
const { Client } = require('pg');
const { connect } = require('nats');

const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

async function checkPostgres() {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${redact(databaseUrl)} (${error.message}); start it or set TEST_DATABASE_URL`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkNats() {
  let nc;
  try {
    nc = await connect({ servers: natsUrl, timeout: 3000, maxReconnectAttempts: 0 });
    const jsm = await nc.jetstreamManager({ timeout: 3000 });
    await jsm.getAccountInfo();
  } catch (error) {
    throw new Error(`NATS with JetStream is not reachable at ${natsUrl} (${error.message}); start nats-server -js or set NATS_URL`);
  } finally {
    await nc?.close();
  }
}

function redact(url) {
  return url.replace(/\/\/[^@]*@/, '//***@');
}

module.exports = async () => {
  const results = await Promise.allSettled([checkPostgres(), checkNats()]);
  const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason.message);
  if (failures.length) {
    process.stderr.write(`\n${failures.join('\n')}\n`);
    // One line per missing service, then stop: no test would mean anything.
    process.exit(1);
  }
};
