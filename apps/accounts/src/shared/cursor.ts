import { ErrorCodes } from '@clientele/contracts';
import { DomainError } from '../domain/domain-error';

/** An opaque keyset position: the sort it belongs to, the sort key's value and the tie-breaking id. */
export interface Cursor {
  sort: string;
  value: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string, sort: string): Cursor {
  try {
    const [s, value, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (s === sort && typeof value === 'string' && typeof id === 'string') return { sort, value, id };
  } catch {
    // fall through
  }
  throw new DomainError(ErrorCodes.validationFailed, 400, 'The cursor is not valid for this list.', [
    { field: 'cursor', message: 'cursor must be a nextCursor returned by this list with the same sort' },
  ]);
}

/** Escapes LIKE wildcards so a user's `%` or `_` matches itself. */
export function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
