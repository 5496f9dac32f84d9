import { ALWAYS_REQUIRED, detailsOf, emptyForm, localToIso, requiredFields, toCreateBody, toPatch, type ClientDetails } from './client-form';

const filled = () => {
  const form = emptyForm();
  form.accountName = '  Globex ';
  form.companyName = 'Globex S.p.A.';
  form.address = { country: 'it', region: 'Lazio', city: 'Roma', line1: '', line2: ' ', postalCode: '00100' };
  form.owner = { firstName: 'Carla', lastName: 'Bianchi', email: ' carla@globex.test ' };
  return form;
};

describe('the Add client form', () => {
  it('sends what was filled in, trimmed, and leaves blank optional fields out', () => {
    const body = toCreateBody(filled());
    expect(body).toEqual({
      accountName: 'Globex',
      companyName: 'Globex S.p.A.',
      type: 'customer',
      active: true,
      address: { country: 'IT', region: 'Lazio', city: 'Roma', postalCode: '00100' },
      language: 'en',
      currency: 'USD',
      owner: { firstName: 'Carla', lastName: 'Bianchi', email: 'carla@globex.test' },
      invitation: { send: 'now' },
      settings: {
        taxExempt: false, lateFeesExempt: false, overdueNotices: true, separateInvoices: false,
        disableCardProcessing: false, marketingOptOut: false, autoStatusUpdate: true, allowSingleSignOn: false,
      },
    });
  });

  it('sends the always-required fields even when blank, so the API names each of them', () => {
    const body = toCreateBody(emptyForm());
    expect(body).toMatchObject({ accountName: '', companyName: '', address: { country: '', region: '', city: '' }, owner: { firstName: '', lastName: '', email: '' } });
  });

  it('splits billing e-mails, turns plan units into numbers and keeps what is no number for the API to name', () => {
    const form = filled();
    form.billingEmails = 'a@x.test, b@x.test;c@x.test\nd@x.test';
    form.servicePlans = [
      { planId: 'p1', units: ' 12 ', startDate: '2026-12-01' },
      { planId: 'p2', units: 'ten', startDate: '2026-12-01' },
    ];
    const body = toCreateBody(form);
    expect(body.billingEmails).toEqual(['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test']);
    expect(body.servicePlans).toEqual([
      { planId: 'p1', units: 12, startDate: '2026-12-01' },
      { planId: 'p2', units: 'ten', startDate: '2026-12-01' },
    ]);
  });

  it('sends a scheduled invitation with its date in UTC, and the text settings only when given', () => {
    const form = filled();
    form.invitation = { send: 'scheduled', sendAt: '2027-01-15T09:30' };
    form.settings.paymentMethod = ' card ';
    const body = toCreateBody(form);
    expect(body.invitation).toEqual({ send: 'scheduled', sendAt: new Date('2027-01-15T09:30').toISOString() });
    expect(body.settings).toMatchObject({ paymentMethod: 'card' });
    expect(body.settings).not.toHaveProperty('billingContact');
    expect(localToIso('not a date')).toBe('not a date');
  });

  it("starts from the account's client-form defaults", () => {
    const form = emptyForm({ language: 'pt-BR', currency: 'BRL', settings: { taxExempt: true, paymentMethod: 'boleto' } });
    expect(form.language).toBe('pt-BR');
    expect(form.currency).toBe('BRL');
    expect(form.settings.taxExempt).toBe(true);
    expect(form.settings.overdueNotices).toBe(true);
    expect(form.settings.paymentMethod).toBe('boleto');
  });

  it("marks the body's required fields, and those the account's client form adds", () => {
    expect([...requiredFields(null)]).toEqual([...ALWAYS_REQUIRED]);
    const marked = requiredFields({ required: ['phone', 'address.postalCode', 'settings.paymentMethod'] });
    expect(marked.has('phone')).toBe(true);
    expect(marked.has('address.postalCode')).toBe(true);
    expect(marked.has('settings.paymentMethod')).toBe(true);
    expect(marked.has('owner.email')).toBe(true);
    expect(marked.has('uniqueIdentifier')).toBe(false);
  });
});

describe("a client's details as a merge patch", () => {
  const client: ClientDetails = {
    accountName: 'Globex',
    companyName: 'Globex S.p.A.',
    uniqueIdentifier: 'IT-123',
    billingEmails: ['a@x.test'],
    phone: null,
    language: 'it',
    currency: 'EUR',
    emergencyContactEmail: null,
    address: { country: 'IT', region: 'Lazio', city: 'Roma', line1: 'Via Roma 1', line2: null, postalCode: null },
    adminNotes: 'vip',
  };

  it('is empty when nothing changed', () => {
    expect(toPatch(detailsOf(client), detailsOf(client))).toEqual({});
  });

  it('holds only what changed; a cleared optional field is null', () => {
    const before = detailsOf(client);
    const after = { ...before, companyName: 'Globex Italia ', uniqueIdentifier: '', billingEmails: 'a@x.test, b@x.test', address: { ...before.address, city: 'Milano', line1: '' } };
    expect(toPatch(before, after)).toEqual({
      companyName: 'Globex Italia',
      uniqueIdentifier: null,
      billingEmails: ['a@x.test', 'b@x.test'],
      address: { city: 'Milano', line1: null },
    });
  });
});
