import { DomainError } from '../domain/domain-error';
import { decodeCursor, encodeCursor, fetchRowsFor, keysetPageBy, likePrefix, type Cursor } from './cursor';

const CURSOR: Cursor = { sort: 'accountName', value: 'acme iberia', id: '0190a5d2-7c1e-7b3a-9f00-1234567890ab' };

/** The error decodeCursor throws for `text`, so its fields can be checked. */
function rejectionOf(text: string, sort: string): DomainError {
  try {
    decodeCursor(text, sort);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`decodeCursor accepted ${JSON.stringify(text)}`);
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('encodeCursor / decodeCursor', () => {
  it('round-trips a cursor for the same sort', () => {
    expect(decodeCursor(encodeCursor(CURSOR), 'accountName')).toEqual(CURSOR);
  });

  it('round-trips values with quotes, commas and non-ASCII text', () => {
    const cursor = { sort: 'companyName', value: 'Müller, "Söhne" & Co. ☃', id: CURSOR.id };

    expect(decodeCursor(encodeCursor(cursor), 'companyName')).toEqual(cursor);
  });

  it('round-trips a timestamp for a time sort, as PostgreSQL writes it', () => {
    const cursor = { sort: '-occurredAt', value: '2026-12-02 11:00:00.123456+00', id: CURSOR.id };

    expect(decodeCursor(encodeCursor(cursor), '-occurredAt')).toEqual(cursor);
  });

  it('yields a URL-safe token', () => {
    expect(encodeCursor({ ...CURSOR, value: '???>>>~~~' })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  describe('rejects, as a 400 validation_failed on the cursor field,', () => {
    it.each([
      ['a cursor from another sort', () => encodeCursor(CURSOR), 'createdAt'],
      ['garbage that is not base64 of JSON', () => '!!!not-a-cursor!!!', 'accountName'],
      ['an empty cursor', () => '', 'accountName'],
      ['JSON that is an object, not the expected array', () => base64url('{"sort":"accountName","value":"a","id":"b"}'), 'accountName'],
      ['JSON whose value is not a string', () => base64url('["accountName",42,"b"]'), 'accountName'],
      ['JSON whose id is missing', () => base64url('["accountName","a"]'), 'accountName'],
      ['JSON null', () => base64url('null'), 'accountName'],
      ['truncated JSON', () => encodeCursor(CURSOR).slice(0, 10), 'accountName'],
      ['a time sort whose value is not a timestamp', () => encodeCursor({ ...CURSOR, sort: '-occurredAt', value: 'yesterday' }), '-occurredAt'],
      ['a time sort whose timestamp is no real day', () => encodeCursor({ ...CURSOR, sort: 'createdAt', value: '2026-02-30 10:00:00+00' }), 'createdAt'],
    ])('%s', (_name, make, sort) => {
      const error = rejectionOf(make(), sort);

      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([expect.objectContaining({ field: 'cursor' })]);
    });
  });
});

describe('likePrefix', () => {
  it('escapes LIKE wildcards and the escape character, then appends %', () => {
    expect(likePrefix('50%_off\\')).toBe('50\\%\\_off\\\\%');
  });

  it('lower-cases the text for a case-insensitive prefix match', () => {
    expect(likePrefix('ACME Iberia')).toBe('acme iberia%');
  });

  it('matches everything for an empty prefix', () => {
    expect(likePrefix('')).toBe('%');
  });
});

describe('fetchRowsFor', () => {
  it('reads one row more than the common page sizes, and the next size up for the others', () => {
    expect([10, 25, 50, 100, 200].map(fetchRowsFor)).toEqual([11, 26, 51, 101, 201]);
    expect([1, 11, 30, 99, 150].map(fetchRowsFor)).toEqual([11, 26, 51, 101, 201]);
  });

  it('gives a page of the asked size from rows read for a larger one, with a cursor only when more follow', () => {
    const rows = Array.from({ length: fetchRowsFor(30) }, (_, i) => ({ id: `0190a5d2-7c1e-7b3a-9f00-${String(i).padStart(12, '0')}`, key: `k${String(i).padStart(2, '0')}` }));
    const page = keysetPageBy(rows, 30, 'accountName', (row) => row.key, (row) => row.id, (row) => row.id);
    expect(page.data).toHaveLength(30);
    // Going on from the last row kept, not from the last row read.
    expect(decodeCursor(page.nextCursor!, 'accountName')).toEqual({ sort: 'accountName', value: 'k29', id: rows[29].id });
    const last = keysetPageBy(rows.slice(0, 30), 30, 'accountName', (row) => row.key, (row) => row.id, (row) => row.id);
    expect(last.nextCursor).toBeNull();
  });
});
