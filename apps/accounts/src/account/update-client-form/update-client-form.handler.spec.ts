import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { EventTypes, REQUIRED_BY_ACCOUNT_SETTINGS, type AccountCaller, type CreateClientRequest } from '@clientele/contracts';
import { createTestDatabase, type TestDatabase } from '@clientele/testing';
import { ClientAccess } from '../../access/client-access';
import { AuditTrail } from '../../audit/audit-trail';
import { ClientReadModel } from '../../clients/client.read-model';
import { ClientUpdater } from '../../clients/client-updater';
import { AccountOpening } from '../../clients/account-opening';
import { CreateClientCommand } from '../../clients/create-client/create-client.command';
import { CreateClientHandler } from '../../clients/create-client/create-client.handler';
import { UpdateClientCommand } from '../../clients/update-client/update-client.command';
import { UpdateClientHandler } from '../../clients/update-client/update-client.handler';
import { accountsOrmConfig } from '../../database/orm.config';
import { Account } from '../../domain/account.entity';
import { ForbiddenError, RequiredByAccountSettingsError } from '../../domain/domain-error';
import { migrateAccounts } from '../../migrate';
import { EventsSettings } from '../../outbox/events.settings';
import type { OutboxRelay } from '../../outbox/outbox.relay';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { PlanCatalogue } from '../../plans/plan-catalogue';
import { GetClientFormQuery } from '../get-client-form/get-client-form.query';
import { GetClientFormHandler } from '../get-client-form/get-client-form.handler';
import { UpdateClientFormCommand } from './update-client-form.command';
import { UpdateClientFormHandler } from './update-client-form.handler';

/**
 * The client form with its real collaborators and PostgreSQL: what a PUT
 * stores, raises and records, and what creating and patching a client under
 * it then refuses, writing nothing.
 */
describe('UpdateClientFormHandler and the rules it sets', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let getForm: GetClientFormHandler;
  let putForm: UpdateClientFormHandler;
  let create: CreateClientHandler;
  let update: UpdateClientHandler;

  const run = <T>(work: () => Promise<T>) => RequestContext.create(orm.em, work);
  let partners = 0;
  const partner = async (type: 'distributor' | 'customer' = 'distributor'): Promise<AccountCaller> => {
    partners += 1;
    const opened = Account.open({
      parent: null, type, accountName: `P-${type}-${partners}`, companyName: 'P', uniqueIdentifier: null, billingEmails: [], active: true,
      address: { country: 'ES', region: 'M', city: 'M', line1: null, line2: null, postalCode: null }, phone: null, language: null,
      currency: null, emergencyContactEmail: null, settings: {}, creditBalance: null, adminNotes: null,
      owner: { email: `form-owner-${type}-${partners}@example.test`, firstName: 'O', lastName: 'W', passwordHash: 'x' },
      invitation: { send: 'none', sendAt: null }, servicePlans: [], now: new Date(),
    });
    await run(() => orm.em.fork().persistAndFlush([opened.account, opened.owner]));
    return { kind: 'user', accountId: opened.account.id, userId: opened.owner.id, role: 'admin' };
  };
  let clients = 0;
  const body = (overrides: Partial<CreateClientRequest> = {}): CreateClientRequest => {
    clients += 1;
    return {
      accountName: `Client ${clients}`,
      companyName: `Client ${clients} S.L.`,
      address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
      owner: { firstName: 'Ana', lastName: 'García', email: `form-client-${clients}@example.test` },
      invitation: { send: 'none' },
      ...overrides,
    };
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(`select count(*) as n from ${sql}`, params))[0].n);
  const versionOf = async (id: string) => (await db.query<{ version: number }>('select version from accounts.account where id = $1', [id]))[0].version;
  const refusal = async (work: Promise<unknown>) => {
    const error = await work.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RequiredByAccountSettingsError);
    return (error as RequiredByAccountSettingsError).details;
  };

  beforeAll(async () => {
    db = await createTestDatabase([migrateAccounts]);
    orm = await MikroORM.init({ ...accountsOrmConfig(db.url, 2), debug: false });
    const em = orm.em;
    const relay = { nudge: () => undefined } as unknown as OutboxRelay;
    const uow = new UnitOfWork(em, relay, new EventsSettings('S', 'clientele', 60_000, 5_000), new AuditTrail());
    const access = new ClientAccess(em);
    getForm = new GetClientFormHandler(access, em);
    putForm = new UpdateClientFormHandler(access, uow);
    create = new CreateClientHandler(access, em, new AccountOpening(new PlanCatalogue(em), uow));
    update = new UpdateClientHandler(access, em, new ClientUpdater(uow), new ClientReadModel(em));
  });

  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  it('answers an empty form at first, and the saved form after a PUT, with one event and one audit entry', async () => {
    const caller = await partner();
    expect(await run(() => getForm.execute(new GetClientFormQuery(caller)))).toEqual({ required: [], defaults: {} });

    const saved = await run(() =>
      putForm.execute(new UpdateClientFormCommand(caller, { required: ['phone', 'settings.paymentMethod'], defaults: { language: 'pt-br', settings: { taxExempt: true } } })),
    );

    const form = { required: ['phone', 'settings.paymentMethod'], defaults: { language: 'pt-BR', settings: { taxExempt: true } } };
    expect(saved).toEqual(form);
    expect(await run(() => getForm.execute(new GetClientFormQuery(caller)))).toEqual(form);
    expect(await versionOf(caller.accountId)).toBe(2);
    const events = await db.query<{ event: { type: string; data: unknown } }>(`select event from accounts.outbox where aggregate_id = $1`, [caller.accountId]);
    expect(events.map((e) => e.event)).toEqual([
      expect.objectContaining({ type: EventTypes.clientFormUpdated, data: { accountId: caller.accountId, ...form, version: 2 } }),
    ]);
    const entries = await db.query<{ action: string; target_type: string; target_id: string; changes: unknown }>(
      `select action, target_type, target_id, changes from accounts.audit_event where account_id = $1`,
      [caller.accountId],
    );
    expect(entries).toEqual([
      {
        action: 'client-form.updated',
        target_type: 'account',
        target_id: caller.accountId,
        changes: { required: { from: [], to: form.required }, defaults: { from: {}, to: form.defaults } },
      },
    ]);
  });

  it('changes nothing when the same form is put again', async () => {
    const caller = await partner();
    const form = { required: ['adminNotes' as const], defaults: { currency: 'EUR', settings: { clientGroup: 'vip', taxExempt: false } } };
    await run(() => putForm.execute(new UpdateClientFormCommand(caller, form)));
    const outbox = await count('accounts.outbox');

    await run(() => putForm.execute(new UpdateClientFormCommand(caller, { ...form, defaults: { ...form.defaults, currency: 'eur' } })));

    expect(await count('accounts.outbox')).toBe(outbox);
    expect(await versionOf(caller.accountId)).toBe(2);
  });

  it('refuses a customer, which may not have clients, writing nothing', async () => {
    const caller = await partner('customer');
    const outbox = await count('accounts.outbox');

    await expect(run(() => putForm.execute(new UpdateClientFormCommand(caller, { required: ['phone'] })))).rejects.toBeInstanceOf(ForbiddenError);

    expect(await count('accounts.outbox')).toBe(outbox);
    expect(await versionOf(caller.accountId)).toBe(1);
    expect(await run(() => getForm.execute(new GetClientFormQuery(caller)))).toEqual({ required: [], defaults: {} });
  });

  it('refuses a create without the required fields, naming each, and writes nothing', async () => {
    const caller = await partner();
    await run(() => putForm.execute(new UpdateClientFormCommand(caller, { required: ['phone', 'billingEmails', 'address.postalCode', 'language'], defaults: { language: 'es' } })));
    const accounts = await count('accounts.account');

    const details = await refusal(run(() => create.execute(new CreateClientCommand(caller, body({ billingEmails: [] })))));

    expect(details).toEqual(['phone', 'billingEmails', 'address.postalCode'].map((field) => ({ field, message: REQUIRED_BY_ACCOUNT_SETTINGS })));
    expect(await count('accounts.account')).toBe(accounts);
  });

  it('creates a client that has the required fields, its defaults filled and its given values kept', async () => {
    const caller = await partner();
    await run(() => putForm.execute(new UpdateClientFormCommand(caller, { required: ['phone'], defaults: { language: 'es', currency: 'EUR', settings: { taxExempt: true } } })));

    const filled = await run(() => create.execute(new CreateClientCommand(caller, body({ phone: '+34911234567' }))));
    const given = await run(() => create.execute(new CreateClientCommand(caller, body({ phone: '+34911234568', language: 'it', settings: { taxExempt: false } }))));

    expect(filled).toMatchObject({ phone: '+34911234567', language: 'es', currency: 'EUR', settings: { taxExempt: true } });
    expect(given).toMatchObject({ language: 'it', currency: 'EUR', settings: { taxExempt: false } });
  });

  it('refuses a patch that clears a required field, and lets a client made before the rule change its other fields', async () => {
    const caller = await partner();
    const before = await run(() => create.execute(new CreateClientCommand(caller, body({ phone: '+34911234567' }))));
    await run(() => putForm.execute(new UpdateClientFormCommand(caller, { required: ['phone', 'adminNotes', 'billingEmails'] })));

    const details = await refusal(run(() => update.execute(new UpdateClientCommand(caller, before.id, { phone: null, billingEmails: [], companyName: 'Renamed' }))));
    expect(details!.map((d) => d.field)).toEqual(['phone', 'billingEmails']);
    expect(await versionOf(before.id)).toBe(1);

    // adminNotes was never given; the client can still be changed in anything else.
    const renamed = await run(() => update.execute(new UpdateClientCommand(caller, before.id, { companyName: 'Renamed', phone: '+34911234500' })));
    expect(renamed).toMatchObject({ companyName: 'Renamed', phone: '+34911234500', adminNotes: null, version: 2 });
  });
});
