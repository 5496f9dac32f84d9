import { CLIENT_SETTINGS_DEFAULTS, EventTypes, REQUIRED_BY_ACCOUNT_SETTINGS, type ClientFormField } from '@clientele/contracts';
import { Account, type OpenAccountProps } from './account.entity';
import { clearedBy, emptyClientForm, missingFrom, type ClientForm } from './client-form';
import { RequiredByAccountSettingsError } from './domain-error';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const PARENT_ID = '0190a5d2-7c1e-7b3a-9f00-1234567890ab';

/** An opening with every optional field left out, under a distributor with `clientForm`. */
function props(clientForm: ClientForm | undefined, overrides: Partial<OpenAccountProps> = {}): OpenAccountProps {
  return {
    parent: { id: PARENT_ID, type: 'distributor', clientForm },
    type: 'customer',
    accountName: 'Acme',
    companyName: 'Acme S.L.',
    uniqueIdentifier: null,
    billingEmails: [],
    active: true,
    address: { country: 'ES', region: 'Madrid', city: 'Madrid', line1: null, line2: null, postalCode: null },
    phone: null,
    language: null,
    currency: null,
    emergencyContactEmail: null,
    settings: {},
    creditBalance: null,
    adminNotes: null,
    owner: { email: 'ana@acme.example', firstName: 'Ana', lastName: 'Ruiz', passwordHash: null },
    invitation: { send: 'none', sendAt: null },
    servicePlans: [],
    now: NOW,
    ...overrides,
  };
}

const requiring = (...required: ClientFormField[]): ClientForm => ({ required, defaults: {} });

/** The fields named by the error `work` throws. */
function refusedFields(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(RequiredByAccountSettingsError);
    const { code, details } = error as RequiredByAccountSettingsError;
    expect(code).toBe('validation_failed');
    for (const detail of details!) expect(detail.message).toBe(REQUIRED_BY_ACCOUNT_SETTINGS);
    return details!.map((d) => d.field);
  }
  throw new Error('expected a refusal');
}

function partner(type: 'distributor' | 'customer' = 'distributor'): Account {
  const { account } = Account.open(props(undefined, { parent: null, type, accountName: 'Partner' }));
  account.pullEvents();
  return account;
}

describe('what a client form counts as missing', () => {
  it('counts null, absent, blank texts and empty lists as missing; false and zero as given', () => {
    const values = { phone: null, uniqueIdentifier: '  ', billingEmails: [], address: { line1: 'Gran Vía 1' }, settings: { taxExempt: false }, creditBalance: '0.00' };
    const all: ClientFormField[] = ['phone', 'uniqueIdentifier', 'billingEmails', 'address.line1', 'address.postalCode', 'settings.taxExempt', 'settings.clientGroup', 'creditBalance', 'adminNotes'];

    expect(missingFrom(all, values)).toEqual(['phone', 'uniqueIdentifier', 'billingEmails', 'address.postalCode', 'settings.clientGroup', 'adminNotes']);
  });

  it('counts as cleared by a patch only what the patch names and empties', () => {
    const patch = { companyName: 'New', phone: null, billingEmails: [], address: { line1: null, city: 'Roma' }, settings: { taxExempt: null, clientGroup: 'vip' } };

    expect(clearedBy(patch)).toEqual(['phone', 'billingEmails', 'address.line1', 'settings.taxExempt']);
    expect(clearedBy(patch, ['adminNotes', 'address.line1'])).toEqual(['address.line1']);
    expect(clearedBy({ companyName: 'New' })).toEqual([]);
  });
});

describe('opening a client under a parent with a client form', () => {
  it('opens as before when the parent has none, or an empty one', () => {
    expect(() => Account.open(props(undefined))).not.toThrow();
    expect(() => Account.open(props(emptyClientForm()))).not.toThrow();
  });

  it('names every required field the create leaves out, in the order the form lists them', () => {
    const form = requiring('phone', 'address.postalCode', 'billingEmails', 'settings.paymentMethod', 'adminNotes');

    expect(refusedFields(() => Account.open(props(form, { adminNotes: 'known customer' })))).toEqual([
      'phone',
      'address.postalCode',
      'billingEmails',
      'settings.paymentMethod',
    ]);
  });

  it('is refused by the check asked before the costly steps, with the same fields', () => {
    expect(refusedFields(() => Account.assertMayOpen(props(requiring('phone', 'currency'))))).toEqual(['phone', 'currency']);
  });

  it('counts a billing switch sent as null as missing', () => {
    expect(refusedFields(() => Account.open(props(requiring('settings.taxExempt'), { settings: { taxExempt: null } })))).toEqual(['settings.taxExempt']);
  });

  it('fills absent fields from the defaults before checking them', () => {
    const form: ClientForm = { required: ['language', 'currency', 'settings.paymentMethod'], defaults: { language: 'es', currency: 'EUR', settings: { paymentMethod: 'sepa', taxExempt: true } } };

    const { account } = Account.open(props(form));

    expect(account).toMatchObject({ language: 'es', currency: 'EUR' });
    expect(account.settings).toEqual({ ...CLIENT_SETTINGS_DEFAULTS, paymentMethod: 'sepa', taxExempt: true });
  });

  it('lets given values win over the defaults, a null switch taking the default', () => {
    const form: ClientForm = { required: [], defaults: { language: 'es', currency: 'EUR', settings: { taxExempt: true, overdueNotices: false } } };

    const { account } = Account.open(props(form, { language: 'it', currency: 'gbp', settings: { taxExempt: false, overdueNotices: null } }));

    expect(account).toMatchObject({ language: 'it', currency: 'GBP' });
    expect(account.settings).toMatchObject({ taxExempt: false, overdueNotices: false });
  });

  it('gives the new account an empty form of its own', () => {
    const { account } = Account.open(props(requiring(), { type: 'reseller' }));

    expect(account.clientForm).toEqual({ required: [], defaults: {} });
  });
});

describe('changing an account\'s client form', () => {
  it('stores the form in one shape and raises client-form.updated with the whole form and the next version', () => {
    const account = partner();

    const changed = account.changeClientForm({ required: ['phone', 'settings.taxExempt'], defaults: { language: 'pt-br', currency: 'eur', settings: { clientGroup: 'vip', taxExempt: undefined } } }, NOW);

    const form = { required: ['phone', 'settings.taxExempt'], defaults: { language: 'pt-BR', currency: 'EUR', settings: { clientGroup: 'vip' } } };
    expect(changed).toBe(true);
    expect(account.clientForm).toEqual(form);
    expect(account.updatedAt).toEqual(NOW);
    const events = account.pullEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: EventTypes.clientFormUpdated, subject: account.id, data: { accountId: account.id, ...form, version: 2 } });
  });

  it('keeps what it was and what it became for the audit trail, never in the published data', () => {
    const account = partner();
    account.changeClientForm({ required: ['phone'], defaults: {} }, NOW);
    account.pullEvents();

    account.changeClientForm({ required: ['adminNotes'], defaults: { currency: 'EUR' } }, NOW);

    const [event] = account.pullEvents();
    expect(event.audit).toEqual({
      changes: { required: { from: ['phone'], to: ['adminNotes'] }, defaults: { from: {}, to: { currency: 'EUR' } } },
    });
    expect(JSON.stringify(event.data)).not.toContain('from');
  });

  it('changes nothing and raises nothing when the form is the one it has, whatever order its JSON came back in', () => {
    const account = partner();
    account.changeClientForm({ required: ['phone'], defaults: { settings: { taxExempt: true, clientGroup: 'a' }, currency: 'EUR' } }, NOW);
    account.pullEvents();
    // As PostgreSQL's jsonb hands it back: keys in its own order.
    account.clientForm = { defaults: { currency: 'EUR', settings: { clientGroup: 'a', taxExempt: true } }, required: ['phone'] } as ClientForm;

    expect(account.changeClientForm({ required: ['phone'], defaults: { currency: 'eur', settings: { taxExempt: true, clientGroup: 'a' } } }, new Date())).toBe(false);
    expect(account.pullEvents()).toEqual([]);
    expect(account.updatedAt).toEqual(NOW);
  });

  it('is refused to a customer, which may not have clients', () => {
    const account = partner('customer');

    expect(() => account.changeClientForm(requiring('phone'), NOW)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(account.pullEvents()).toEqual([]);
  });
});
