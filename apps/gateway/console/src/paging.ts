/**
 * Next/previous over keyset pages. The API hands out only the cursor of the
 * next page, so the cursors of the pages already seen are kept: previous goes
 * back to the one before. The first page has no cursor.
 */
export interface Paging {
  /** The cursor of each page seen so far, the current one last; null for the first page. */
  trail: (string | null)[];
  /** The cursor the API answered for the page after the current one. */
  next: string | null;
}

export const firstPage = (): Paging => ({ trail: [null], next: null });

/** The cursor to ask the API with for the current page. */
export const currentCursor = (paging: Paging): string | null => paging.trail[paging.trail.length - 1];

export const hasPrevious = (paging: Paging): boolean => paging.trail.length > 1;
export const hasNext = (paging: Paging): boolean => paging.next !== null;

/** After a page arrived: remember where the next one starts. */
export const pageLoaded = (paging: Paging, nextCursor: string | null): Paging => ({ ...paging, next: nextCursor });

export function goNext(paging: Paging): Paging {
  if (!paging.next) return paging;
  return { trail: [...paging.trail, paging.next], next: null };
}

export function goPrevious(paging: Paging): Paging {
  if (!hasPrevious(paging)) return paging;
  return { trail: paging.trail.slice(0, -1), next: null };
}

/** The 1-based number of the current page. */
export const pageNumber = (paging: Paging): number => paging.trail.length;
