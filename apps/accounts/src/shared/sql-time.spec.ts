import { isoUtc } from './sql-time';

describe('isoUtc', () => {
  it('writes PostgreSQL UTC timestamps as new Date(...).toISOString() would', () => {
    for (const value of [
      '2026-11-29 11:00:00+00',
      '2026-11-29 11:00:00.1+00',
      '2026-11-29 11:00:00.12+00',
      '2026-11-29 11:00:00.123+00',
      '2026-11-29 11:00:00.123456+00',
      '2026-11-29 11:00:00.999999+00',
      '1999-01-01 00:00:00.000001+00:00',
    ]) {
      expect(isoUtc(value)).toBe(new Date(value).toISOString());
    }
  });

  it('takes any other form or a Date the slow way', () => {
    expect(isoUtc('2026-11-29T12:00:00+01:00')).toBe('2026-11-29T11:00:00.000Z');
    expect(isoUtc(new Date('2026-11-29T11:00:00.5Z'))).toBe('2026-11-29T11:00:00.500Z');
  });
});
