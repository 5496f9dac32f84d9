import { IsInt, IsString, Max, Min } from 'class-validator';
import { PageRequest } from '../clients/list-clients.request';
import { CreateServicePlanRequest } from '../plans/service-plans';
import { validateContract } from './validate';

const plan = { name: 'Basic', product: 'Backup', unitType: 'user' };

describe('validateContract', () => {
  it('accepts a valid body', () => {
    expect(validateContract(CreateServicePlanRequest, plan).errors).toEqual([]);
  });

  it.each([
    ['a nested "constructor" key', { ...plan, extra: { constructor: 'x' } }, 'extra.constructor'],
    ['a "__proto__" key', JSON.parse('{"name":"Basic","product":"Backup","unitType":"user","__proto__":{"admin":true}}'), '__proto__'],
    ['a "prototype" key in an array item', { ...plan, list: [{ prototype: 1 }] }, 'list.0.prototype'],
  ])('names %s as an unknown field instead of handing it to the transformer', (_, body, field) => {
    const { errors } = validateContract(CreateServicePlanRequest, body);
    expect(errors).toEqual([{ field, message: `${field} is not a known field` }]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses text with a NUL character, which the database cannot store, naming the field', () => {
    const { errors } = validateContract(CreateServicePlanRequest, { ...plan, name: 'Ba\u0000sic' });
    expect(errors).toEqual([{ field: 'name', message: 'name must not contain the NUL character' }]);
  });

  it('refuses nesting deeper than any contract has, without walking it all', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const { errors } = validateContract(CreateServicePlanRequest, { ...plan, deep });
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/nested too deeply$/);
  });

  it('keeps each class its own rules and its parents\', whichever is validated first', () => {
    class Named {
      @IsString() name!: string;
    }
    class Counted extends Named {
      @IsInt() @Min(1) units!: number;
    }
    // The parent first: what is remembered for it must not stand in for the child, nor the child's for it.
    expect(validateContract(Named, { name: 'a' }).errors).toEqual([]);
    expect(validateContract(Counted, { name: 'a', units: 0 }).errors.map((e) => e.field)).toEqual(['units']);
    expect(validateContract(Counted, { name: 1, units: 2 }).errors.map((e) => e.field)).toEqual(['name']);
    expect(validateContract(Named, { name: 'a', units: 2 }).errors).toEqual([{ field: 'units', message: 'units is not a known field' }]);
  });

  it('says what kind of value a field needs before what range, whatever order its rules are written in', () => {
    class Ranged {
      @IsInt() @Min(1) @Max(200) limit!: number;
      @Min(0) @IsInt() units!: number;
    }
    expect(validateContract(Ranged, { limit: 'abc', units: 'x' }).errors).toEqual([
      { field: 'limit', message: 'limit must be an integer number' },
      { field: 'units', message: 'units must be an integer number' },
    ]);
    expect(validateContract(Ranged, { limit: 500, units: -1 }).errors).toEqual([
      { field: 'limit', message: 'limit must not be greater than 200' },
      { field: 'units', message: 'units must not be less than 0' },
    ]);
    // A page's ?limit= arrives as text and is turned into a number first: "abc" is NaN, not an integer.
    expect(validateContract(PageRequest, { limit: 'abc' }).errors).toEqual([{ field: 'limit', message: 'limit must be an integer number' }]);
  });
});
