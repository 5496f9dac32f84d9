import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';

/** A cell as the CSV writer takes it: text, or nothing (an empty cell). */
export type CsvCell = string | null | undefined;

/** What a spreadsheet would run as a formula: `=`, `@`, a tab or CR first, or `+`/`-` not followed by a digit. */
const FORMULA_START = /^(?:[=@\t\r]|[+-](?!\d))/;

/** A cell written with the `'` that `neutralizeCell` puts before a cell a spreadsheet would otherwise run. */
function isNeutralized(cell: string): boolean {
  if (!cell.startsWith("'")) return false;
  const rest = cell.slice(1);
  return FORMULA_START.test(rest) || isNeutralized(rest);
}

/**
 * OWASP CSV injection: a cell that starts like a formula is written with a
 * leading `'`, which spreadsheets show as text and do not run. A cell that
 * already reads like a neutralized one gets another `'`, so `restoreCell`
 * gives back exactly what was written: `=1` ↔ `'=1`, `'=1` ↔ `''=1`.
 * Numbers such as `+34911234567` or `-5` are left alone.
 */
export function neutralizeCell(cell: string): string {
  return FORMULA_START.test(cell) || isNeutralized(cell) ? `'${cell}` : cell;
}

/** The inverse of `neutralizeCell`, for a CSV coming back (an export imported again). */
export function restoreCell(cell: string): string {
  return isNeutralized(cell) ? cell.slice(1) : cell;
}

/**
 * RFC 4180: CRLF between records, a cell quoted when it holds a comma, a
 * quote or a line break (csv-stringify quotes only the record delimiter on
 * its own, so a lone LF or CR is matched here: a spreadsheet would start a
 * new row at it).
 */
const STRINGIFY_OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

/** Rows as CSV text (each ending with CRLF), every cell neutralized. */
export function csvText(rows: readonly (readonly CsvCell[])[]): string {
  return stringify(
    rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : neutralizeCell(cell)))),
    STRINGIFY_OPTIONS,
  );
}

/**
 * A CSV document as a stream: a UTF-8 byte order mark (so spreadsheets read
 * the text as UTF-8), the header, then the rows page by page. A page is only
 * asked for when the previous one has been taken by the reader (the
 * client's connection), so memory holds a page or two whatever the length.
 */
export function csvStream(header: readonly string[], pages: AsyncIterable<readonly (readonly CsvCell[])[]> | Iterable<readonly (readonly CsvCell[])[]>): Readable {
  async function* text(): AsyncGenerator<string> {
    yield `\ufeff${csvText([header])}`;
    for await (const rows of pages) if (rows.length) yield csvText(rows);
  }
  return Readable.from(text(), { objectMode: false, highWaterMark: 64 * 1024 });
}

/**
 * Makes the answer a CSV download and gives back its body, for the route to
 * return (Nest hands it to Fastify, which streams it). A failure once the
 * rows flow cannot become a problem answer any more: the stream is destroyed
 * and the client sees the transfer break off, never a file that looks whole.
 */
export function csvDownload(reply: FastifyReply, filename: string, body: Readable): Readable {
  void reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`);
  return body;
}

/**
 * Whether an `Accept` header asks for CSV rather than JSON: `text/csv` is
 * listed (with q > 0) and ranked at least as high as JSON (`application/json`
 * or a wildcard that covers it, when listed). JSON stays the default.
 */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = 0;
  let json = 0;
  for (const range of accept.toLowerCase().split(',')) {
    const [type, ...params] = range.split(';').map((part) => part.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === 'text/csv' || type === 'text/*') csv = Math.max(csv, q);
    if (type === 'application/json' || type === 'application/*' || type === '*/*') json = Math.max(json, q);
  }
  return csv > 0 && csv >= json;
}
