import type { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { EventTypes, type Caller, type CreateClientRequest } from '@clientele/contracts';
import { createTestDatabase, type TestDatabase } from '@clientele/testing';
import { ClientAccess } from '../../access/client-access';
import { AuditTrail } from '../../audit/audit-trail';
import { AccountOpening } from '../../clients/account-opening';
import { CreateClientHandler } from '../../clients/create-client/create-client.handler';
import { accountsOrmConfig } from '../../database/orm.config';
import { Account } from '../../domain/account.entity';
import { migrateAccounts } from '../../migrate';
import { EventsSettings } from '../../outbox/events.settings';
import type { OutboxRelay } from '../../outbox/outbox.relay';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { PlanCatalogue } from '../../plans/plan-catalogue';
import type { ClientImportWorker } from '../client-import-worker';
import { CompleteClientImportCommand } from '../complete-client-import/complete-client-import.command';
import { CompleteClientImportHandler } from '../complete-client-import/complete-client-import.handler';
import { CreateClientImportCommand } from '../create-client-import/create-client-import.command';
import { CreateClientImportHandler } from '../create-client-import/create-client-import.handler';
import { ImportClientRowsCommand } from '../import-client-rows/import-client-rows.command';
import { ImportClientRowsHandler } from '../import-client-rows/import-client-rows.handler';
import { ImportClientRowCommand } from './import-client-row.command';
import { ImportClientRowHandler } from './import-client-row.handler';

/**
 * An import's rows with the real create command and PostgreSQL, without NATS
 * or a worker loop: each row is created once whoever runs it and however
 * often, in a batch or on its own; a refused row fails alone; the import
 * completes once.
 */
describe('ImportClientRowHandler and ImportClientRowsHandler', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let store: CreateClientImportHandler;
  let rows: ImportClientRowHandler;
  let batches: ImportClientRowsHandler;
  let complete: CompleteClientImportHandler;
  let partners = 0;
  let emails = 0;

  const run = <T>(work: () => Promise<T>) => RequestContext.create(orm.em, work);
  const body = (accountName: string, overrides: Partial<CreateClientRequest> = {}): CreateClientRequest => ({
    accountName,
    companyName: `${accountName} S.L.`,
    address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
    owner: { firstName: 'Ana', lastName: 'Ruiz', email: `owner-${(emails += 1)}@example.test` },
    ...overrides,
  });
  const partner = async (): Promise<Caller> => {
    partners += 1;
    const opened = Account.open({
      parent: null, type: 'distributor', accountName: `Importer ${partners}`, companyName: 'P', uniqueIdentifier: null, billingEmails: [], active: true,
      address: { country: 'ES', region: 'M', city: 'M', line1: null, line2: null, postalCode: null }, phone: null, language: null,
      currency: null, emergencyContactEmail: null, settings: {}, creditBalance: null, adminNotes: null,
      owner: { email: `importer-${partners}@example.test`, firstName: 'O', lastName: 'W', passwordHash: 'x' },
      invitation: { send: 'none', sendAt: null }, servicePlans: [], now: new Date(),
    });
    await run(() => orm.em.fork().persistAndFlush([opened.account, opened.owner]));
    return { kind: 'user', accountId: opened.account.id, userId: opened.owner.id, role: 'admin' };
  };
  const started = async (caller: Caller, bodies: object[]) => (await run(() => store.execute(new CreateClientImportCommand(caller, { rows: bodies })))).id;
  const importRow = (importId: string, row: number, caller: Caller) => run(() => rows.execute(new ImportClientRowCommand(importId, row, caller)));
  const named = async (name: string) => Number((await db.query<{ n: string }>('select count(*) as n from accounts.account where lower(account_name) = lower($1)', [name]))[0].n);
  const settled = (importId: string) =>
    db.query<{ row_no: number; status: string; code: string | null; errors: unknown; client_id: string | null }>(
      'select row_no, status, code, errors, client_id from accounts.client_import_row where import_id = $1 order by row_no',
      [importId],
    );

  beforeAll(async () => {
    db = await createTestDatabase([migrateAccounts]);
    orm = await MikroORM.init({ ...accountsOrmConfig(db.url, 4), debug: false });
    const em = orm.em;
    const relay = { nudge: () => undefined } as unknown as OutboxRelay;
    const trail = new AuditTrail();
    const uow = new UnitOfWork(em, relay, new EventsSettings('S', 'clientele', 60_000, 5_000), trail);
    const create = new CreateClientHandler(new ClientAccess(em), em, new AccountOpening(new PlanCatalogue(em), uow));
    // The bus's part: the create command goes to its one handler.
    const commands = { execute: (command: never) => create.execute(command) } as unknown as CommandBus;
    store = new CreateClientImportHandler(new ClientAccess(em), em, uow, trail, { nudge: () => undefined } as unknown as ClientImportWorker);
    rows = new ImportClientRowHandler(uow, commands);
    batches = new ImportClientRowsHandler(uow, commands);
    complete = new CompleteClientImportHandler(uow);
  });

  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  it('stores the job, its rows in file order and one audit entry in one go', async () => {
    const caller = await partner();
    const importId = await started(caller, [body('First'), body('Second')]);

    expect(await settled(importId)).toEqual([
      { row_no: 1, status: 'pending', code: null, errors: null, client_id: null },
      { row_no: 2, status: 'pending', code: null, errors: null, client_id: null },
    ]);
    const entries = await db.query('select action from accounts.audit_event where target_id = $1', [importId]);
    expect(entries).toEqual([{ action: 'client-import.created' }]);
  });

  it('creates a row once, with its events, however often it is run', async () => {
    const caller = await partner();
    const importId = await started(caller, [body('Once')]);

    expect(await importRow(importId, 1, caller)).toBe('created');
    expect(await importRow(importId, 1, caller)).toBe('settled');

    expect(await named('Once')).toBe(1);
    const [row] = await settled(importId);
    expect(row).toMatchObject({ status: 'created', client_id: expect.any(String) });
    const events = await db.query(`select 1 from accounts.outbox where aggregate_id = $1 and event->>'type' = $2`, [row.client_id, EventTypes.clientCreated]);
    expect(events).toHaveLength(1);
    const [counts] = await db.query('select processed, created, failed from accounts.client_import where id = $1', [importId]);
    expect(counts).toEqual({ processed: 1, created: 1, failed: 0 });
  });

  it('creates a row once when two workers take it at the same moment', async () => {
    const caller = await partner();
    const importId = await started(caller, [body('Raced')]);

    const outcomes = await Promise.all([importRow(importId, 1, caller), importRow(importId, 1, caller)]);

    expect(outcomes.sort()).toEqual(['created', 'settled']);
    expect(await named('Raced')).toBe(1);
  });

  it('fails a row that a single create would refuse, with its code and field errors, and nothing else of it', async () => {
    const caller = await partner();
    const importId = await started(caller, [body('Taken'), body('taken'), { ...body('Bad'), owner: { firstName: 'A', lastName: 'B', email: 'nope' } }]);
    const accounts = Number((await db.query<{ n: string }>('select count(*) as n from accounts.account'))[0].n);

    for (const row of [1, 2, 3]) await importRow(importId, row, caller);

    expect((await settled(importId)).map(({ status, code, errors }) => ({ status, code, errors }))).toEqual([
      { status: 'created', code: null, errors: null },
      { status: 'failed', code: 'account_name_taken', errors: [{ field: 'accountName', message: 'accountName is already taken (names are compared ignoring case)' }] },
      { status: 'failed', code: 'validation_failed', errors: [{ field: 'owner.email', message: 'owner.email must be an e-mail address' }] },
    ]);
    expect(Number((await db.query<{ n: string }>('select count(*) as n from accounts.account'))[0].n)).toBe(accounts + 1);
  });

  it('creates a batch of rows in one transaction, settling a row that fails its checks, and skips rows already settled', async () => {
    const caller = await partner();
    const importId = await started(caller, [body('Batch A'), { accountName: 'no more' }, body('Batch C')]);
    await importRow(importId, 3, caller);

    expect(await run(() => batches.execute(new ImportClientRowsCommand(importId, [1, 2, 3], caller)))).toBe(2);

    expect((await settled(importId)).map(({ status, code }) => [status, code])).toEqual([['created', null], ['failed', 'validation_failed'], ['created', null]]);
    expect(await named('Batch C')).toBe(1);
    const [counts] = await db.query('select processed, created, failed from accounts.client_import where id = $1', [importId]);
    expect(counts).toEqual({ processed: 3, created: 2, failed: 1 });
  });

  it('takes back a whole batch when a create in it is refused, for the rows to go one by one', async () => {
    const caller = await partner();
    const importId = await started(caller, [body('Pair'), body('PAIR'), body('After pair')]);

    expect(await run(() => batches.execute(new ImportClientRowsCommand(importId, [1, 2, 3], caller)))).toBe('one-by-one');
    expect(await named('Pair')).toBe(0);
    expect((await settled(importId)).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);

    for (const row of [1, 2, 3]) await importRow(importId, row, caller);
    expect((await settled(importId)).map((r) => r.code ?? r.status)).toEqual(['created', 'account_name_taken', 'created']);
  });

  it('completes an import once, when no row is pending, with its counts in the event', async () => {
    const caller = await partner();
    const importId = await started(caller, [body('Done'), { accountName: 'x' }]);

    expect(await run(() => complete.execute(new CompleteClientImportCommand(importId)))).toBe(false);
    await importRow(importId, 1, caller);
    await importRow(importId, 2, caller);
    const finishing = await Promise.all([
      run(() => complete.execute(new CompleteClientImportCommand(importId))),
      run(() => complete.execute(new CompleteClientImportCommand(importId))),
    ]);

    expect(finishing.sort()).toEqual([false, true]);
    const events = await db.query<{ data: unknown }>(`select event->'data' as data from accounts.outbox where aggregate_id = $1`, [importId]);
    expect(events).toEqual([{ data: { importId, accountId: caller.kind === 'user' ? caller.accountId : '', total: 2, created: 1, failed: 1 } }]);
    const [job] = await db.query('select status, finished_at is not null as finished from accounts.client_import where id = $1', [importId]);
    expect(job).toEqual({ status: 'done', finished: true });
  });
});
