import type { Page } from '@clientele/contracts';
import { InvalidCursorError } from '../domain/domain-error';
import { isUuid } from '../domain/ids';

/** An opaque keyset position: the sort it belongs to, the sort key's value and the tie-breaking id. */
export interface Cursor {
  sort: string;
  value: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

/** A timestamp as PostgreSQL writes it as text, or ISO 8601. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** A timestamp PostgreSQL will take: the shape, and a real day and time (no 30 February), so a forged one is a 400, not a failed cast. */
function isTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60;
}

/** Sorts by a point in time (`createdAt`, `-occurredAt`): their cursor values must be timestamps. */
const isTimeSort = (sort: string) => /At$/.test(sort);

/** A cursor of this list, or a 400: a forged one must not reach the query (it would fail there, as a 500). */
export function decodeCursor(text: string, sort: string): Cursor {
  try {
    const [s, value, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    const valueFits = typeof value === 'string' && (!isTimeSort(sort) || isTimestamp(value));
    if (s === sort && valueFits && isUuid(id)) return { sort, value: value as string, id };
  } catch {
    // fall through
  }
  throw new InvalidCursorError([
    { field: 'cursor', message: 'cursor must be a nextCursor returned by this list with the same sort' },
  ]);
}

/** Escapes LIKE wildcards so a user's `%` or `_` matches itself. */
export function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The row counts a page's statement is written for: a page of 10, 25, 50, 100 or 200, and the row that says there is more. */
const FETCH_ROWS = [11, 26, 51, 101, 201];

/**
 * How many rows a page of `limit` reads, as a literal for the statement's
 * `limit`: the least of a few fixed sizes that holds `limit + 1` (extra rows
 * are left off by `keysetPage`). Not a parameter: a prepared statement's
 * generic plan takes a parameter `limit` to be a tenth of the rows matched,
 * so for a partner with tens of thousands of clients it planned a sort or a
 * parallel scan of them, and PostgreSQL went back to planning the statement
 * on every call (ADR 15). A few sizes keep the prepared statements few.
 */
export function fetchRowsFor(limit: number): number {
  return FETCH_ROWS.find((rows) => rows > limit) ?? FETCH_ROWS[FETCH_ROWS.length - 1];
}

/**
 * One page from rows fetched with `limit + 1` (or more): the extra row only says there
 * is more, and the last row kept gives the cursor (its sort key as
 * PostgreSQL computed it, and its id).
 */
export function keysetPage<Row extends { sort_key: string }, Item>(
  rows: Row[],
  limit: number,
  sort: string,
  idOf: (row: Row) => string,
  toItem: (row: Row) => Item,
): Page<Item> {
  return keysetPageBy(rows, limit, sort, (row) => row.sort_key, idOf, toItem);
}

/** `keysetPage` for rows of any shape (arrays, say): `sortKeyOf` reads the sort key as PostgreSQL wrote it. */
export function keysetPageBy<Row, Item>(
  rows: Row[],
  limit: number,
  sort: string,
  sortKeyOf: (row: Row) => string,
  idOf: (row: Row) => string,
  toItem: (row: Row) => Item,
): Page<Item> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor({ sort, value: sortKeyOf(last), id: idOf(last) }) : null,
  };
}
