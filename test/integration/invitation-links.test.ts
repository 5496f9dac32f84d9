import { CommandBus } from '@nestjs/cqrs';
import { Client } from 'pg';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { createTestDatabase, randomSuffix, testEnvironment, waitFor, type TestDatabase } from '@clientele/testing';
import type { Caller, MintedInvitationLinks } from '@clientele/contracts';
import { migrateAccounts } from '../../apps/accounts/src/migrate';
import { hashSecretToken } from '../../apps/accounts/src/domain/secret-token';
import { MintInvitationLinksCommand } from '../../apps/accounts/src/invitations/mint-invitation-links/mint-invitation-links.command';
import { ResendInvitationCommand } from '../../apps/accounts/src/invitations/resend-invitation/resend-invitation.command';
import { RevokeInvitationCommand } from '../../apps/accounts/src/invitations/revoke-invitation/revoke-invitation.command';
import { LINKS } from '../../apps/accounts/src/invitations/mint-invitation-links/mint-invitation-links.handler';
import { accountBody, accountsInProcess } from './accounts-harness';

jest.setTimeout(90_000);

const notifications: Caller = { kind: 'service', service: 'notifications' } as Caller;

interface InvitationRow {
  status: string;
  token_hash: string | null;
  version: number;
  sent_at: Date | null;
  expires_at: Date | null;
}

describe('invitation links', () => {
  let db: TestDatabase;
  let accounts: Awaited<ReturnType<typeof accountsInProcess>>;
  let run: <T>(command: object) => Promise<T>;
  let partner: { id: string; owner?: { id: string } | null };

  beforeAll(async () => {
    db = await createTestDatabase([migrateAccounts]);
    accounts = await accountsInProcess({ DATABASE_URL: db.url, NATS_URL: testEnvironment.natsUrl, NATS_PREFIX: `l${randomSuffix()}` });
    const orm = accounts.service.app.get(MikroORM);
    const commands = accounts.service.app.get(CommandBus);
    run = (command) => RequestContext.create(orm.em, () => commands.execute(command as never));
    partner = await accounts.createPartner(accountBody('distributor'));
  });
  afterAll(async () => {
    await accounts?.service.close();
    await db?.drop();
  });

  const parent = (): Caller => ({ kind: 'user', accountId: partner.id, userId: partner.owner!.id, role: 'admin' }) as Caller;
  const invitationOf = async (clientId: string) =>
    (await db.query<InvitationRow & { id: string }>(`select id, status, token_hash, version, sent_at, expires_at from accounts.invitation where account_id = $1`, [clientId]))[0];
  const mint = (invitationId: string, purpose: 'invitation' | 'reminder') =>
    run<MintedInvitationLinks>(new MintInvitationLinksCommand(notifications, [{ invitationId, purpose }]));

  it('starts the window with the first link, keeps it for a reminder, and stores only the latest link’s hash', async () => {
    const client = await accounts.createClient(parent(), accountBody());
    const before = await invitationOf(client.id);
    expect(before).toMatchObject({ status: 'scheduled', token_hash: null, sent_at: null, expires_at: null });

    const first = (await mint(before.id, 'invitation')).links[0];
    if (!first.ok) throw new Error(`refused: ${first.error.code}`);
    const sent = await invitationOf(client.id);
    expect(sent).toMatchObject({ status: 'sent', token_hash: hashSecretToken(first.link.token), version: before.version + 1 });
    expect(sent.expires_at!.toISOString()).toBe(first.link.expiresAt);
    expect(await db.query(`select 1 from accounts.outbox where aggregate_id = $1 and subject like '%owner.invited'`, [client.id])).toHaveLength(1);

    const reminder = (await mint(before.id, 'reminder')).links[0];
    if (!reminder.ok) throw new Error(`refused: ${reminder.error.code}`);
    const reminded = await invitationOf(client.id);
    // A reminder's link replaces the first one and leaves the window where it was, to the microsecond.
    expect(reminded).toEqual({ ...sent, token_hash: hashSecretToken(reminder.link.token), version: sent.version + 1 });
    expect(reminder.link.expiresAt).toBe(first.link.expiresAt);
  });

  /**
   * Runs `command` while another transaction holds the invitation's row: the
   * command reads the row as it was, then waits to write it (`writes`: how its
   * update starts); meanwhile `change` is made and committed. Resolves with
   * the command's outcome.
   */
  async function raceOnRow(id: string, writes: string, command: () => Promise<unknown>, change: string) {
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select 1 from accounts.invitation where id = $1 for update', [id]);
      const outcome = command().then(
        (value) => ({ ok: true as const, value }),
        (error: { code?: string }) => ({ ok: false as const, code: error.code }),
      );
      await waitFor(
        async () => (await db.query<{ n: string }>(`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like $1`, [`${writes}%`]))[0].n === '1',
        { what: 'the command to wait on the row' },
      );
      await other.query(change, [id]);
      await other.query('commit');
      return await outcome;
    } finally {
      await other.end();
    }
  }

  it('refuses the batch when an invitation changed between the mint’s read and its write', async () => {
    const client = await accounts.createClient(parent(), accountBody());
    const { id, version } = await invitationOf(client.id);
    const outcome = await raceOnRow(id, 'update accounts.invitation', () => mint(id, 'invitation'),
      `update accounts.invitation set status = 'revoked', version = version + 1 where id = $1`);
    expect(outcome).toEqual({ ok: false, code: 'version_conflict' });
    // The revoke stands, and nothing of the refused batch was written: no hash, no window, no event.
    expect(await invitationOf(client.id)).toMatchObject({ status: 'revoked', token_hash: null, sent_at: null, expires_at: null, version: version + 1 });
    const invited = await db.query(`select 1 from accounts.outbox where aggregate_id = $1 and subject like '%owner.invited'`, [client.id]);
    expect(invited).toHaveLength(0);
  });

  it('resends an invitation whose link was minted between the resend’s read and its write, rather than answering a conflict', async () => {
    const client = await accounts.createClient(parent(), accountBody());
    const { id, version } = await invitationOf(client.id);
    const outcome = await raceOnRow(id, 'update "accounts"."invitation"', () => run(new ResendInvitationCommand(parent(), client.id)),
      `update accounts.invitation set status = 'sent', token_hash = 'minted', sent_at = now(), expires_at = now() + interval '14 days', version = version + 1 where id = $1`);
    expect(outcome.ok).toBe(true);
    // Read again and resent: a new window to come, the minted link gone.
    expect(await invitationOf(client.id)).toMatchObject({ status: 'scheduled', token_hash: null, sent_at: null, version: version + 2 });
  });

  it('never reopens an invitation revoked while its link is being minted', async () => {
    const outcomes = { minted: 0, refused: 0 };
    for (let i = 0; i < 15; i++) {
      const client = await accounts.createClient(parent(), accountBody());
      const { id } = await invitationOf(client.id);
      // The mint and the revoke race; whichever commits second sees the first's change.
      const [minting, revoking] = await Promise.allSettled([mint(id, 'invitation'), run(new RevokeInvitationCommand(parent(), client.id))]);
      // The revoke, read before the mint wrote, is read again and made: never answered as a conflict.
      expect(revoking.status).toBe('fulfilled');
      const after = await invitationOf(client.id);
      expect(after.status).toBe('revoked');
      if (minting.status === 'fulfilled' && minting.value.links[0].ok) {
        // Minted first, then revoked: the link was handed out, and it is the one stored (it now answers 410).
        outcomes.minted += 1;
        expect(after.token_hash).toBe(hashSecretToken(minting.value.links[0].link.token));
      } else {
        // Revoked first (410), or revoked between the mint's read and its write (409): nothing of the mint stays.
        outcomes.refused += 1;
        expect(after.token_hash).toBeNull();
        const code = minting.status === 'rejected' ? (minting.reason as { code?: string }).code : !minting.value.links[0].ok && minting.value.links[0].error.code;
        expect(['invitation_revoked', 'version_conflict', 'invitation_closed', 'no_pending_invitation']).toContain(code);
      }
    }
    expect(outcomes.minted + outcomes.refused).toBe(15);
  });

  it('reads who invited a client from that client’s own entry, however many clients its partner has', async () => {
    const client = await accounts.createClient(parent(), accountBody());
    const { id } = await invitationOf(client.id);
    // 3,000 more clients of the same partner, written in one statement; the tables' statistics are not gathered
    // (as in a database that grew since autovacuum last ran, or one that runs without it).
    await db.query(
      `with a as (
         insert into accounts.account (id, type, account_name, company_name, billing_emails, status, address, language, currency,
           settings, credit_balance, is_partner, created_at, updated_at, version)
         select gen_random_uuid(), 'customer', 'Many ' || i, 'Many ' || i || ' S.L.', '[]', 'active', '{"country":"ES","region":"M","city":"M"}',
           'en', 'EUR', '{}', 0, false, now(), now(), 1
         from generate_series(1, 3000) i
         returning id, account_name, company_name, status, type, created_at)
       insert into accounts.relationship (id, parent_id, client_id, status, account_name, company_name, client_status, client_type, client_created_at, created_at)
       select gen_random_uuid(), $1, a.id, 'active', a.account_name, a.company_name, a.status, a.type, a.created_at, a.created_at from a`,
      [partner.id],
    );
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      // As the mint runs it: prepared once, then executed with the plan PostgreSQL keeps for it.
      await other.query(`prepare links(uuid[]) as ${LINKS.replace('?::uuid[]', '$1')}`);
      await other.query(`set plan_cache_mode = force_generic_plan`);
      const [{ 'QUERY PLAN': [plan] }] = (await other.query(`explain (analyze, buffers, format json) execute links('{${id}}')`)).rows;
      const inviter = findNode(plan.Plan, (node) => node['Parent Relationship'] === 'SubPlan')!;
      expect(inviter).toBeDefined();
      // A few blocks: the client's index entry and the partner's row. Read by the list index that has the
      // client last, the inviter cost a pass over the partner's whole channel (some 30 blocks here, per link).
      expect(inviter['Shared Hit Blocks'] + inviter['Shared Read Blocks']).toBeLessThan(10);
      const [{ company_name: partnerCompany }] = await db.query<{ company_name: string }>(`select company_name from accounts.account where id = $1`, [partner.id]);
      expect((await other.query(`execute links('{${id}}')`)).rows[0]).toMatchObject({ invitation_id: id, inviter: partnerCompany });
    } finally {
      await other.end();
    }
  });
});

interface PlanNode {
  'Parent Relationship'?: string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

function findNode(node: PlanNode, test: (node: PlanNode) => boolean): PlanNode | undefined {
  if (test(node)) return node;
  for (const child of node.Plans ?? []) {
    const found = findNode(child, test);
    if (found) return found;
  }
  return undefined;
}
