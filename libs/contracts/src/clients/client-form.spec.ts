import { validateContract } from '../validation/validate';
import { CLIENT_SETTING_KEYS } from './client-settings';
import { CLIENT_FORM_FIELDS, ClientFormRequest, clientFormInOrder } from './client-form';

const errorsOf = (body: unknown) => validateContract(ClientFormRequest, body).errors;

describe('the client form request', () => {
  it('offers every optional field of the client body and every billing switch', () => {
    expect(CLIENT_FORM_FIELDS).toEqual(expect.arrayContaining(['phone', 'address.line1', 'billingEmails', 'adminNotes', ...CLIENT_SETTING_KEYS.map((k) => `settings.${k}`)]));
    expect(CLIENT_FORM_FIELDS).not.toContain('accountName');
  });

  it('accepts an empty form, and one with required fields and defaults', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ required: [], defaults: {} })).toEqual([]);
    expect(errorsOf({ required: [...CLIENT_FORM_FIELDS], defaults: { language: 'pt-BR', currency: 'EUR', settings: { taxExempt: true, clientGroup: 'vip' } } })).toEqual([]);
  });

  it('names the paths the client form does not have', () => {
    const errors = errorsOf({ required: ['phone', 'fax', 'settings.colour', 'accountName'] });

    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('required');
    expect(errors[0].message).toContain('"fax", "settings.colour", "accountName"');
    expect(errors[0].message).not.toContain('"phone"');
  });

  it('refuses a path named twice, a required list that is not a list, and null', () => {
    expect(errorsOf({ required: ['phone', 'phone'] })).toEqual([{ field: 'required', message: 'required must name each field once' }]);
    expect(errorsOf({ required: 'phone' })[0].field).toBe('required');
    expect(errorsOf({ required: null })).toEqual([{ field: 'required', message: 'required must not be null' }]);
    expect(errorsOf({ required: [42] })[0].message).toContain('42');
  });

  it('checks defaults as the client body checks the same fields, and refuses unknown keys anywhere', () => {
    expect(errorsOf({ defaults: { language: 'not a language!', currency: 'EURO', settings: { taxExempt: 'yes' } } }).map((e) => e.field)).toEqual([
      'defaults.language',
      'defaults.currency',
      'defaults.settings.taxExempt',
    ]);
    expect(errorsOf({ defaults: { phone: '+34911234567' } })).toEqual([{ field: 'defaults.phone', message: 'defaults.phone is not a known field' }]);
    expect(errorsOf({ defaults: { settings: { colour: 'red' } } })).toEqual([{ field: 'defaults.settings.colour', message: 'defaults.settings.colour is not a known field' }]);
    expect(errorsOf({ optional: [] })).toEqual([{ field: 'optional', message: 'optional is not a known field' }]);
  });
});

describe('a stored client form in one shape', () => {
  it('keeps only what is set, the switches in the settings order', () => {
    expect(clientFormInOrder(null)).toEqual({ required: [], defaults: {} });
    const form = clientFormInOrder({ required: ['phone'], defaults: { settings: { clientGroup: 'vip', taxExempt: true, paymentMethod: null }, language: undefined, currency: 'EUR' } });

    expect(form).toEqual({ required: ['phone'], defaults: { currency: 'EUR', settings: { taxExempt: true, clientGroup: 'vip' } } });
    expect(Object.keys(form.defaults.settings!)).toEqual(['taxExempt', 'clientGroup']);
  });
});
