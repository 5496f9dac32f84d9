import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { EventTypes, type CreateClientRequest } from '@clientele/contracts';
import { createTestDatabase, type TestDatabase } from '@clientele/testing';
import { AuditTrail } from '../../audit/audit-trail';
import { ClientAccess } from '../../access/client-access';
import { accountsOrmConfig } from '../../database/orm.config';
import { Account } from '../../domain/account.entity';
import { AccountNameTakenError, ForbiddenError, NotFoundError } from '../../domain/domain-error';
import { migrateAccounts } from '../../migrate';
import { EventsSettings } from '../../outbox/events.settings';
import type { OutboxRelay } from '../../outbox/outbox.relay';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { PlanCatalogue } from '../../plans/plan-catalogue';
import { AccountOpening } from '../account-opening';
import { ClientReadModel } from '../client.read-model';
import { CreateClientCommand } from './create-client.command';
import { CreateClientHandler } from './create-client.handler';

/**
 * The handler with its real collaborators and PostgreSQL, without NATS or a
 * process: what a create writes and answers, and what it refuses.
 */
describe('CreateClientHandler', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let handler: CreateClientHandler;
  let readModel: ClientReadModel;
  let nudges = 0;

  const body = (accountName: string): CreateClientRequest => ({
    accountName,
    companyName: `${accountName} S.L.`,
    address: { country: 'es', region: 'Madrid', city: 'Madrid' },
    owner: { firstName: 'Ana', lastName: 'García', email: `${accountName.toLowerCase().replace(/\W/g, '')}@example.test` },
  });
  const run = <T>(work: () => Promise<T>) => RequestContext.create(orm.em, work);
  let partners = 0;
  const partner = async (type: 'distributor' | 'customer') => {
    partners += 1;
    const opened = Account.open({
      parent: null, type, accountName: `P-${type}-${partners}`, companyName: 'P', uniqueIdentifier: null, billingEmails: [], active: true,
      address: { country: 'ES', region: 'M', city: 'M', line1: null, line2: null, postalCode: null }, phone: null, language: null,
      currency: null, emergencyContactEmail: null, settings: {}, creditBalance: null, adminNotes: null,
      owner: { email: `owner-${type}-${partners}@example.test`, firstName: 'O', lastName: 'W', passwordHash: 'x' },
      invitation: { send: 'none', sendAt: null }, servicePlans: [], now: new Date(),
    });
    await run(() => orm.em.fork().persistAndFlush([opened.account, opened.owner]));
    return { kind: 'user' as const, accountId: opened.account.id, userId: opened.owner.id, role: 'admin' as const };
  };
  const count = async (table: string) => Number((await db.query<{ n: string }>(`select count(*) as n from accounts.${table}`))[0].n);

  beforeAll(async () => {
    db = await createTestDatabase([migrateAccounts]);
    orm = await MikroORM.init({ ...accountsOrmConfig(db.url, 2), debug: false });
    const em = orm.em;
    const relay = { nudge: () => (nudges += 1) } as unknown as OutboxRelay;
    const uow = new UnitOfWork(em, relay, new EventsSettings('S', 'clientele', 60_000, 5_000), new AuditTrail());
    handler = new CreateClientHandler(new ClientAccess(em), em, new AccountOpening(new PlanCatalogue(em), uow));
    readModel = new ClientReadModel(em);
  });

  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  it('writes the client, its owner, relationship, invitation and created event, and answers what a read gives', async () => {
    const caller = await partner('distributor');
    const nudgesBefore = nudges;

    const created = await run(() => handler.execute(new CreateClientCommand(caller, body('Acme'))));

    expect(created).toMatchObject({ accountName: 'Acme', address: { country: 'ES' }, owner: { status: 'invited', invitation: { status: 'scheduled' } } });
    expect(await run(() => readModel.findOne(created.id, { withAdminNotes: true }))).toEqual(created);
    const [event] = await db.query<{ subject: string; event: { type: string; data: { parentId: string } } }>(
      `select subject, event from accounts.outbox where aggregate_id = $1`,
      [created.id],
    );
    expect(event.event).toMatchObject({ type: EventTypes.clientCreated, data: { parentId: caller.accountId } });
    expect(await db.query(`select 1 from accounts.relationship where parent_id = $1 and client_id = $2`, [caller.accountId, created.id])).toHaveLength(1);
    expect(nudges).toBe(nudgesBefore + 1);
  });

  it('refuses a second client of the same name under one parent, writing nothing', async () => {
    const caller = await partner('distributor');
    await run(() => handler.execute(new CreateClientCommand(caller, body('Twice'))));
    const accounts = await count('account');
    const outbox = await count('outbox');

    await expect(run(() => handler.execute(new CreateClientCommand(caller, body('twice'))))).rejects.toBeInstanceOf(AccountNameTakenError);

    expect(await count('account')).toBe(accounts);
    expect(await count('outbox')).toBe(outbox);
  });

  it('refuses a client under a customer, which may not have clients', async () => {
    const caller = await partner('customer');
    const accounts = await count('account');

    await expect(run(() => handler.execute(new CreateClientCommand(caller, body('Nope'))))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await count('account')).toBe(accounts);
  });

  it('answers not found for a caller whose account is gone', async () => {
    const caller = { kind: 'user' as const, accountId: '0190a5d2-7c1e-7b3a-9f00-000000000000', userId: '0190a5d2-7c1e-7b3a-9f00-000000000001', role: 'admin' as const };

    await expect(run(() => handler.execute(new CreateClientCommand(caller, body('Orphan'))))).rejects.toBeInstanceOf(NotFoundError);
  });
});
