import { mapProblem, problemOf } from './problem';

describe('API problems as field errors', () => {
  const known = (field: string) => ['accountName', 'owner.email', 'phone'].includes(field);

  it('puts each error beside its field, joining two for one field', () => {
    const mapped = mapProblem(
      {
        status: 400,
        code: 'validation_failed',
        detail: 'The request is not valid.',
        errors: [
          { field: 'owner.email', message: 'owner.email must be an e-mail address' },
          { field: 'phone', message: "is required by your account's settings" },
          { field: 'accountName', message: 'accountName must be shorter than or equal to 120 characters' },
          { field: 'accountName', message: 'accountName must not contain control characters' },
        ],
      },
      known,
    );
    expect(mapped.fields).toEqual({
      'owner.email': 'owner.email must be an e-mail address',
      phone: "is required by your account's settings",
      accountName: 'accountName must be shorter than or equal to 120 characters accountName must not contain control characters',
    });
    expect(mapped.other).toEqual([]);
  });

  it('lists errors for fields the form does not show apart, so none is lost', () => {
    const mapped = mapProblem({ status: 400, errors: [{ field: 'colour', message: 'colour is not a known field' }, { field: '', message: 'body must be a JSON object' }] }, known);
    expect(mapped.fields).toEqual({});
    expect(mapped.other).toEqual(['colour is not a known field', 'body must be a JSON object']);
  });

  it("uses the detail when the problem names no field (a 409 or a 503)", () => {
    expect(mapProblem({ status: 503, detail: 'accounts is not answering' }, known)).toEqual({ fields: {}, other: ['accounts is not answering'] });
  });

  it('reads an answer that is no problem document by its status', () => {
    expect(problemOf(502, undefined)).toEqual({ status: 502, title: 'HTTP 502' });
    expect(problemOf(409, { status: 409, code: 'account_name_taken' })).toEqual({ status: 409, code: 'account_name_taken' });
  });
});
