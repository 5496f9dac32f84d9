import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@clientele/testing';
import { migrateAccounts } from '../../apps/accounts/src/migrate';
import { clientPageStatement } from '../../apps/accounts/src/clients/list-clients/list-clients.handler';

jest.setTimeout(90_000);

interface PlanNode {
  'Node Type': string;
  Plans?: PlanNode[];
}

const nodeTypes = (node: PlanNode): string[] => [node['Node Type'], ...(node.Plans ?? []).flatMap(nodeTypes)];

/**
 * The clients list is a prepared statement (`queryPrepared`): PostgreSQL plans
 * it for its first five calls, then keeps one plan for the parameters it
 * does not know, if that plan looks as good. It must look as good for a
 * partner with many clients, or every page is planned again (the page's
 * rate fell by a fifth between 200 and 80,000 clients when the limit was a
 * parameter, whose generic plan took it to be a tenth of the rows).
 */
describe('the clients list, prepared', () => {
  let db: TestDatabase;
  let partnerId: string;

  beforeAll(async () => {
    db = await createTestDatabase([migrateAccounts]);
    [{ id: partnerId }] = await db.query<{ id: string }>(
      `insert into accounts.account (id, type, account_name, company_name, billing_emails, status, address, language, currency,
         settings, credit_balance, is_partner, created_at, updated_at, version)
       values (gen_random_uuid(), 'distributor', 'Plan Partner', 'Plan Partner S.L.', '[]', 'active', '{"country":"ES","region":"M","city":"M"}',
         'en', 'EUR', '{}', 0, true, now(), now(), 1)
       returning id`,
    );
    await db.query(
      `with a as (
         insert into accounts.account (id, type, account_name, company_name, billing_emails, status, address, language, currency,
           settings, credit_balance, is_partner, created_at, updated_at, version)
         select gen_random_uuid(), 'customer', 'Many ' || i, 'Many ' || i || ' S.L.', '[]', 'active', '{"country":"ES","region":"M","city":"M"}',
           'en', 'EUR', '{}', 0, false, now() - make_interval(secs => i), now(), 1
         from generate_series(1, 30000) i
         returning id, account_name, company_name, status, type, created_at)
       insert into accounts.relationship (id, parent_id, client_id, status, account_name, company_name, client_status, client_type, client_created_at, created_at)
       select gen_random_uuid(), $1, a.id, 'active', a.account_name, a.company_name, a.status, a.type, a.created_at, a.created_at from a`,
      [partnerId],
    );
    await db.query('analyze');
  });
  afterAll(async () => {
    await db?.drop();
  });

  for (const sort of ['createdAt', '-accountName'] as const) {
    it(`keeps one plan for a page of 100 sorted by ${sort} among 30,000 clients, read in index order`, async () => {
      const { sql, page } = clientPageStatement(partnerId, { sort }, 100);
      const session = new Client({ connectionString: db.url });
      await session.connect();
      try {
        let n = 0;
        await session.query(`prepare page as ${sql.replace(/\?/g, () => `$${++n}`)}`);
        const execute = `execute page(${page.params.map((p) => `'${p}'`).join(', ')})`;
        for (let call = 0; call < 10; call++) expect((await session.query(execute)).rows).toHaveLength(101);
        const [counts] = (await session.query(`select generic_plans, custom_plans from pg_prepared_statements where name = 'page'`)).rows;
        // Planned for the first five calls, then the kept plan for the other five.
        expect(counts).toEqual({ custom_plans: '5', generic_plans: '5' });
        const [{ 'QUERY PLAN': [plan] }] = (await session.query(`explain (format json) ${execute}`)).rows;
        const types = nodeTypes(plan.Plan);
        expect(types).not.toContain('Sort');
        expect(types).not.toContain('Gather Merge');
      } finally {
        await session.end();
      }
    });
  }
});
