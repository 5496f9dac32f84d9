import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@clientele/testing';
import { migrateNotifications } from '../../apps/notifications/src/migrate';
import { claimDue } from '../../apps/notifications/src/emails/email-sender';

jest.setTimeout(60_000);

interface PlanNode {
  'Subplan Name'?: string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

/**
 * The sender's claim, on the real schema: it takes the e-mails that are due
 * and those whose sender stopped renewing its claim, and what it reads does
 * not grow with the e-mails scheduled for later (a partner scheduling
 * thousands of invitations for next week must not slow every claim down).
 */
describe('claiming due e-mails', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase([migrateNotifications]);
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  /** Queues e-mails in one statement: `sendAt` and `claimedUntil` are SQL expressions. */
  const queue = (count: number, status: 'queued' | 'sending', sendAt: string, claimedUntil = 'null') =>
    client.query(
      `insert into notifications.email (id, kind, client_id, invitation_id, recipient, status, send_at, claimed_until, claimed_by, created_at, updated_at)
       select gen_random_uuid(), 'invitation', gen_random_uuid(), gen_random_uuid(), 'owner-' || i || '@claim.test', $1, ${sendAt}, ${claimedUntil},
              case when $1 = 'sending' then 'another sender' end, now(), now()
         from generate_series(1, $2::int) i`,
      [status, count],
    );
  const claim = (prefix = '', limit = 50) => client.query(`${prefix}${claimDue(limit).replace('?', `'this sender'`)}`);
  /** Blocks the claim read to choose its e-mails (its plan's CTEs; the update's own writes left out); the claim is rolled back. */
  const blocksReadToChoose = async () => {
    await client.query('begin');
    try {
      const plan = (await claim('explain (analyze, buffers, format json) ')).rows[0]['QUERY PLAN'][0].Plan;
      const ctes = (node: PlanNode): PlanNode[] => (node['Subplan Name']?.startsWith('CTE ') ? [node] : (node.Plans ?? []).flatMap(ctes));
      return ctes(plan).reduce((sum, node) => sum + node['Shared Hit Blocks'] + node['Shared Read Blocks'], 0);
    } finally {
      await client.query('rollback');
    }
  };

  beforeEach(() => client.query('truncate notifications.email'));

  it('takes the due e-mails and the lapsed claims, oldest first, and leaves the rest', async () => {
    await queue(3, 'queued', `now() - interval '1 minute'`);
    await queue(2, 'sending', `now() - interval '2 minutes'`, `now() - interval '1 second'`);
    await queue(4, 'sending', `now() - interval '3 minutes'`, `now() + interval '20 seconds'`);
    await queue(5, 'queued', `now() + interval '1 day'`);

    // Room for three: the two lapsed claims (due two minutes ago) before the e-mails due one minute ago.
    const first = (await claim('', 3)).rows as { taken_over: boolean }[];
    expect(first.map((e) => e.taken_over).sort()).toEqual([false, true, true]);
    const rest = (await claim()).rows as { taken_over: boolean }[];
    expect(rest.map((e) => e.taken_over)).toEqual([false, false]);
    const byStatus = (await client.query(`select status, claimed_by, count(*)::int as n from notifications.email group by 1, 2 order by 1, 2`)).rows;
    expect(byStatus).toEqual([
      { status: 'queued', claimed_by: null, n: 5 },
      { status: 'sending', claimed_by: 'another sender', n: 4 },
      { status: 'sending', claimed_by: 'this sender', n: 5 },
    ]);
    // Nothing left to take.
    expect((await claim()).rows).toHaveLength(0);
  });

  it('reads no more with 5,000 e-mails scheduled for later than with none', async () => {
    await queue(20, 'queued', `now() - interval '1 minute'`);
    await queue(3, 'sending', `now() - interval '1 minute'`, `now() + interval '20 seconds'`);
    const alone = await blocksReadToChoose();

    await queue(5_000, 'queued', `now() + interval '7 days'`);
    const besideScheduled = await blocksReadToChoose();

    // One condition over both kinds read every queued e-mail: some 100 blocks more here.
    expect(besideScheduled - alone).toBeLessThan(5);
  });
});
