import { loadConfig } from '@clientele/config';
import { createTestDatabase, deleteStream, randomSuffix, testEnvironment, waitFor, type TestDatabase } from '@clientele/testing';
import { AuditRetentionSweep } from '../../apps/accounts/src/audit/audit-retention.sweep';
import { AccountsConfig } from '../../apps/accounts/src/config';
import { migrateAccounts } from '../../apps/accounts/src/migrate';
import { accountsInProcess } from './accounts-harness';

jest.setTimeout(90_000);

/** `n` entries of one account, `age` old. */
async function addEntries(db: TestDatabase, n: number, age: string): Promise<void> {
  await db.query(
    `insert into accounts.audit_event (id, account_id, occurred_at, action, actor_type, target_type, target_id)
     select gen_random_uuid(), '0190a5d2-7c1e-7b3a-9f00-00000000a11e', now() - $2::interval - make_interval(secs => i), 'client.updated', 'system', 'client', gen_random_uuid()
       from generate_series(1, $1::int) i`,
    [n, age],
  );
}

const count = async (db: TestDatabase, where: string) =>
  Number((await db.query<{ n: string }>(`select count(*) as n from accounts.audit_event where ${where}`))[0].n);

describe('audit retention sweep', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase([migrateAccounts]);
  });
  afterEach(async () => db.drop());

  it('refuses a retention that is no duration, or none, at boot', () => {
    const env = { DATABASE_URL: db.url };
    for (const value of ['0', '0d', 'forever']) {
      expect(() => loadConfig(AccountsConfig, { ...env, AUDIT_RETENTION: value })).toThrow(/^Invalid setting AUDIT_RETENTION: /);
    }
    expect(loadConfig(AccountsConfig, env).auditRetentionMs).toBe(400 * 86_400_000);
  });

  it('removes entries older than AUDIT_RETENTION in batches, oldest first, leaves younger ones, and shares the work between replicas', async () => {
    // Waiting when the service starts: its first pass removes them.
    await addEntries(db, 7, '3 hours');
    await addEntries(db, 3, '10 minutes');
    const prefix = `a${randomSuffix()}`;
    const accounts = await accountsInProcess({ DATABASE_URL: db.url, NATS_URL: testEnvironment.natsUrl, NATS_PREFIX: prefix, AUDIT_RETENTION: '1h' });
    try {
      await waitFor(async () => (await count(db, `occurred_at < now() - interval '1 hour'`)) === 0, { what: 'the first pass at start' });
      expect(await count(db, 'true')).toBe(3);
      const metrics = await (await fetch(`http://127.0.0.1:${accounts.service.httpPort}/metrics`)).text();
      expect(metrics).toMatch(/^clientele_audit_events_removed_total(\{[^}]*\})? 7$/m);

      // A batch per statement, oldest first, until none is left.
      const sweep = accounts.service.app.get(AuditRetentionSweep);
      await addEntries(db, 12, '2 hours');
      const newestOld = (await db.query<{ t: Date }>(`select max(occurred_at) as t from accounts.audit_event where occurred_at < now() - interval '1 hour'`))[0].t;
      expect([await sweep.removeBatch(5), await sweep.removeBatch(5)]).toEqual([5, 5]);
      // The two left are the youngest of the old ones.
      expect((await db.query<{ t: Date }>(`select max(occurred_at) as t from accounts.audit_event where occurred_at < now() - interval '1 hour'`))[0].t).toEqual(newestOld);
      expect([await sweep.removeBatch(5), await sweep.removeBatch(5)]).toEqual([2, 0]);
      expect(await count(db, 'true')).toBe(3);

      // Sweeps running side by side take different rows, none waits for the other's.
      await addEntries(db, 10, '2 hours');
      const together = await Promise.all([sweep.removeBatch(4), sweep.removeBatch(4)]);
      expect(together[0] + together[1]).toBe(8);
      expect(await count(db, `occurred_at < now() - interval '1 hour'`)).toBe(2);
    } finally {
      await accounts.service.close();
      await deleteStream(`${prefix.toUpperCase()}_ACCOUNTS`);
    }
  });
});
