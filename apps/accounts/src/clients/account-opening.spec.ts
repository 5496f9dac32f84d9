import { CLIENT_SETTINGS_DEFAULTS } from '@clientele/contracts';
import { EventTypes, validateContract, CreateClientRequest, type ClientCreatedData } from '@clientele/contracts';
import { Account } from '../domain/account.entity';
import { isUuid } from '../domain/ids';
import { normalizeDecimal } from '../domain/values';
import { openingProps } from './account-opening';

/** What AccountOpening does without the database: the request mapped to props, the account opened from them. */
const openAccount = (input: CreateClientRequest, context: { parentId: string | null; passwordHash: string | null; now: Date }) =>
  Account.open(openingProps(input, { parent: context.parentId ? { id: context.parentId, type: 'distributor' } : null, passwordHash: context.passwordHash, now: context.now }));

const NOW = new Date('2026-11-22T10:00:00.000Z');
const PARENT_ID = '0190a5d2-7c1e-7b3a-9f00-1234567890ab';
const PASSWORD = 'correct horse battery staple';
const PASSWORD_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';

function body(overrides: Partial<CreateClientRequest> = {}): CreateClientRequest {
  return {
    accountName: '  Acme Iberia  ',
    companyName: ' Acme Iberia S.L. ',
    address: { country: 'es', region: 'Madrid', city: 'Madrid' },
    owner: { firstName: ' Ana ', lastName: ' García ', email: ' ana@acme.example ' },
    ...overrides,
  };
}

const asClient = (input: CreateClientRequest, passwordHash: string | null = null) =>
  openAccount(input, { parentId: PARENT_ID, passwordHash, now: NOW });

const createdData = (opened: ReturnType<typeof openAccount>) => {
  const events = opened.account.pullEvents();
  expect(events).toHaveLength(1);
  return events[0].data as ClientCreatedData;
};

describe('opening an account (Account.open from a create request)', () => {
  describe('the owner', () => {
    it('is active at once, with no invitation, when a password hash is given', () => {
      const opened = asClient(body({ owner: { ...body().owner, password: PASSWORD } }), PASSWORD_HASH);

      expect(opened.owner.status).toBe('active');
      expect(opened.owner.passwordHash).toBe(PASSWORD_HASH);
      expect(opened.invitation).toBeNull();
      expect(createdData(opened)).toMatchObject({ owner: { status: 'active' }, invitation: null });
    });

    it('gets no invitation with a password even when one was scheduled', () => {
      const opened = asClient(body({ invitation: { send: 'scheduled', sendAt: '2027-01-01T09:00:00.000Z' } }), PASSWORD_HASH);

      expect(opened.owner.status).toBe('active');
      expect(opened.invitation).toBeNull();
    });

    it('is invited, with an invitation due now, without a password', () => {
      const opened = asClient(body());

      expect(opened.owner.status).toBe('invited');
      expect(opened.owner.passwordHash).toBeNull();
      expect(opened.invitation).toMatchObject({
        status: 'scheduled',
        sendMode: 'now',
        userId: opened.owner.id,
        accountId: opened.account.id,
        sentAt: null,
        tokenHash: null,
      });
      expect(opened.invitation!.sendAt).toEqual(NOW);
      expect(createdData(opened).invitation).toEqual({ invitationId: opened.invitation!.id, send: 'now', sendAt: NOW.toISOString() });
    });

    it('is invited at the chosen time when the invitation is scheduled', () => {
      const sendAt = '2027-01-04T09:30:00.000Z';
      const opened = asClient(body({ invitation: { send: 'scheduled', sendAt } }));

      expect(opened.owner.status).toBe('invited');
      expect(opened.invitation).toMatchObject({ status: 'scheduled', sendMode: 'scheduled' });
      expect(opened.invitation!.sendAt).toEqual(new Date(sendAt));
      expect(createdData(opened).invitation).toEqual({ invitationId: opened.invitation!.id, send: 'scheduled', sendAt });
    });

    it('is invited but gets no invitation when send is "none"', () => {
      const opened = asClient(body({ invitation: { send: 'none' } }));

      expect(opened.owner.status).toBe('invited');
      expect(opened.invitation).toBeNull();
      expect(createdData(opened).invitation).toBeNull();
    });

    it('is always the account admin, with trimmed names and e-mail', () => {
      const { owner, account } = asClient(body());

      expect(owner).toMatchObject({
        accountId: account.id,
        role: 'admin',
        isOwner: true,
        email: 'ana@acme.example',
        firstName: 'Ana',
        lastName: 'García',
      });
    });
  });

  describe('the account', () => {
    it('applies the defaults for every optional field', () => {
      const { account, licenses } = asClient(body());

      expect(account).toMatchObject({
        type: 'customer',
        accountName: 'Acme Iberia',
        companyName: 'Acme Iberia S.L.',
        uniqueIdentifier: null,
        billingEmails: [],
        status: 'active',
        phone: null,
        language: 'en',
        currency: 'USD',
        emergencyContactEmail: null,
        creditBalance: '0.00',
        adminNotes: null,
        version: 1,
      });
      expect(account.settings).toEqual(CLIENT_SETTINGS_DEFAULTS);
      expect(account.address).toEqual({ country: 'ES', region: 'Madrid', city: 'Madrid', line1: null, line2: null, postalCode: null });
      expect(account.createdAt).toEqual(NOW);
      expect(isUuid(account.id)).toBe(true);
      expect(licenses).toEqual([]);
    });

    it('is inactive when active is false', () => {
      const { account, relationship } = asClient(body({ active: false }));

      expect(account.status).toBe('inactive');
      expect(relationship!.clientStatus).toBe('inactive');
    });

    it('canonicalises the language and upper-cases the currency', () => {
      const { account } = asClient(body({ language: 'pt-br', currency: 'eur' }));

      expect(account.language).toBe('pt-BR');
      expect(account.currency).toBe('EUR');
    });

    it('keeps the settings it is given and defaults the rest', () => {
      const { account } = asClient(body({ settings: { taxExempt: true, paymentMethod: 'sepa' } }));

      expect(account.settings).toEqual({ ...CLIENT_SETTINGS_DEFAULTS, taxExempt: true, paymentMethod: 'sepa' });
    });

    // BUG: @IsOptional() lets `null` through validation, and openAccount spreads the
    // given settings over CLIENT_SETTINGS_DEFAULTS, so `"taxExempt": null` is stored (and later
    // shown) as null instead of a boolean, breaking the ClientSettingsView contract.
    it('falls back to the default for a settings flag sent as null', () => {
      const wire = {
        accountName: 'Acme',
        companyName: 'Acme Ltd',
        address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
        owner: { firstName: 'Ana', lastName: 'García', email: 'ana@acme.example' },
        settings: { taxExempt: null },
      };
      const { value, errors } = validateContract(CreateClientRequest, wire);
      expect(errors).toEqual([]);

      const { account } = asClient(value);

      expect(account.settings.taxExempt).toBe(false);
    });

    it('normalises the credit balance to two decimals', () => {
      expect(asClient(body({ creditBalance: '12.5' })).account.creditBalance).toBe('12.50');
    });

    it('turns service plans into active licenses of the new account', () => {
      const planId = '0190a5d2-7c1e-7b3a-9f00-aaaaaaaaaaaa';
      const { account, licenses } = asClient(body({ servicePlans: [{ planId, units: 3, startDate: '2026-12-01' }] }));

      expect(licenses).toHaveLength(1);
      expect(licenses[0]).toMatchObject({ accountId: account.id, planId, units: 3, startDate: '2026-12-01', status: 'active' });
    });
  });

  describe('under a parent (a client)', () => {
    it('links the client to its parent, copying the list keys', () => {
      const { account, relationship } = asClient(body({ uniqueIdentifier: ' B123 ', type: 'reseller' }));

      expect(account.isPartner).toBe(false);
      expect(relationship).toMatchObject({
        parentId: PARENT_ID,
        clientId: account.id,
        status: 'active',
        accountName: 'Acme Iberia',
        companyName: 'Acme Iberia S.L.',
        uniqueIdentifier: 'B123',
        clientStatus: 'active',
        clientType: 'reseller',
        endedAt: null,
      });
      expect(relationship!.clientCreatedAt).toEqual(NOW);
    });
  });

  describe('at the top of a channel (a partner)', () => {
    it('is a partner with no relationship', () => {
      const opened = openAccount(body({ type: 'distributor' }), { parentId: null, passwordHash: null, now: NOW });

      expect(opened.account.isPartner).toBe(true);
      expect(opened.relationship).toBeNull();
      expect(createdData(opened)).toMatchObject({ parentId: null, type: 'distributor' });
    });
  });

  describe('the parent rule', () => {
    it('refuses to open an account under a customer, which may not have clients', () => {
      const props = openingProps(body(), { parent: { id: PARENT_ID, type: 'customer' }, passwordHash: null, now: NOW });

      expect(() => Account.open(props)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    });

    it.each(['group', 'distributor', 'reseller'] as const)('opens under a %s', (type) => {
      const opened = Account.open(openingProps(body(), { parent: { id: PARENT_ID, type }, passwordHash: null, now: NOW }));

      expect(opened.relationship).toMatchObject({ parentId: PARENT_ID, clientId: opened.account.id });
    });
  });

  describe('the created event', () => {
    it('raises exactly one accounts.client.created event, pulled once', () => {
      const { account, owner, invitation } = asClient(body());

      const events = account.pullEvents();

      expect(events).toHaveLength(1);
      expect(events[0].type).toBe(EventTypes.clientCreated);
      expect(events[0].type).toBe('accounts.client.created');
      expect(events[0].subject).toBe(account.id);
      expect(events[0].data).toEqual({
        clientId: account.id,
        parentId: PARENT_ID,
        type: 'customer',
        accountName: 'Acme Iberia',
        companyName: 'Acme Iberia S.L.',
        status: 'active',
        language: 'en',
        owner: { userId: owner.id, email: 'ana@acme.example', firstName: 'Ana', lastName: 'García', status: 'invited' },
        invitation: { invitationId: invitation!.id, send: 'now', sendAt: NOW.toISOString() },
      });
      expect(account.pullEvents()).toEqual([]);
    });

    it('carries neither the password nor its hash', () => {
      const { account } = asClient(body({ owner: { ...body().owner, password: PASSWORD } }), PASSWORD_HASH);

      const serialised = JSON.stringify(account.pullEvents());

      expect(serialised).not.toContain(PASSWORD);
      expect(serialised).not.toContain(PASSWORD_HASH);
      expect(serialised).not.toContain('argon2');
      expect(serialised).not.toMatch(/password/i);
    });
  });
});

describe('normalizeDecimal', () => {
  it.each([
    ['12.5', '12.50'],
    ['12.50', '12.50'],
    ['0', '0.00'],
    ['-3', '-3.00'],
    ['007.10', '7.10'],
    ['-0', '0.00'],
    ['-0.5', '-0.50'],
    ['9999999999999.99', '9999999999999.99'],
  ])('%p → %p', (input, expected) => {
    expect(normalizeDecimal(input)).toBe(expected);
  });
});
