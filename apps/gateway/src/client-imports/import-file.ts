import { parse, type CsvError } from 'csv-parse/sync';
import { CLIENT_IMPORT_MAX_ROWS, CreateClientImportRequest, ErrorCodes, validateContract } from '@clientele/contracts';
import { RpcError } from '@clientele/messaging';
import { restoreCell } from '../http/csv';
import { KNOWN_COLUMNS, REQUIRED_COLUMNS, clientBodyOfRow } from './client-csv';

/** Longer than any real row (the longest field, admin notes, is 10,000 characters); a longer one is not a client. */
export const MAX_ROW_BYTES = 64 * 1024;
const BOM = '\ufeff';

/**
 * Why a file cannot be imported as a whole: a 400 that names the line (of
 * the file, counted from 1 with the header) or, for JSON, the row. Nothing
 * of such a file is imported.
 */
export function fileError(where: string, message: string): RpcError {
  return new RpcError(ErrorCodes.validationFailed, 400, `The file cannot be imported: ${where}: ${message}.`, [{ field: 'file', message: `${where}: ${message}` }]);
}

/**
 * The rows of a CSV file as client bodies, in file order, or a 400 for the
 * first thing that keeps the file from being read: not UTF-8, quotes that
 * do not balance, a line with another number of cells than the header, a
 * line over 64 KiB, an unknown, repeated or missing required column, no rows
 * or more than 1,000. Blank lines are skipped. Cells are not checked here:
 * each row is checked when it is imported, as a single create is.
 */
export function rowsOfCsv(file: Buffer): Record<string, unknown>[] {
  const text = utf8Text(file);
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, max_record_size: MAX_ROW_BYTES, relax_column_count: false }) as string[][];
  } catch (error) {
    throw csvError(error as CsvError, text);
  }
  const [header, ...rows] = records;
  if (!header) throw fileError('line 1', 'the file is empty; the first line names the columns');
  const columns = checkedHeader(header);
  if (!rows.length) throw fileError('line 2', 'no rows after the header');
  if (rows.length > CLIENT_IMPORT_MAX_ROWS) {
    throw fileError(`row ${CLIENT_IMPORT_MAX_ROWS + 1}`, `a file holds at most ${CLIENT_IMPORT_MAX_ROWS.toLocaleString('en')} rows; this one has ${rows.length.toLocaleString('en')}`);
  }
  return rows.map((cells) => clientBodyOfRow(new Map(columns.map((column, i) => [column, restoreCell(cells[i])]))));
}

/** The rows of `{ "rows": [client body, ...] }`, checked as a whole (an array of 1 to 1,000 objects, none over 64 KiB). */
export function rowsOfJson(body: unknown): object[] {
  const { value, errors } = validateContract(CreateClientImportRequest, body);
  if (errors.length) throw RpcError.validation(errors);
  value.rows.forEach((row, i) => {
    if (Buffer.byteLength(JSON.stringify(row)) > MAX_ROW_BYTES) throw fileError(`rows.${i}`, `a row may be at most ${MAX_ROW_BYTES / 1024} KiB`);
  });
  return value.rows;
}

/** The file as text: UTF-8, a byte order mark allowed (and dropped); the line of the first byte that is not UTF-8 is named. */
function utf8Text(file: Buffer): string {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    const text = decoder.decode(file);
    return text.startsWith(BOM) ? text.slice(1) : text;
  } catch {
    // Line by line (a line break is one byte in UTF-8, never part of another character) to find the first bad one.
    let line = 1;
    for (let start = 0; start < file.length; line += 1) {
      const end = file.indexOf(0x0a, start);
      const stop = end === -1 ? file.length : end;
      try {
        decoder.decode(file.subarray(start, stop));
      } catch {
        break;
      }
      start = stop + 1;
    }
    throw fileError(`line ${line}`, 'the file is not UTF-8 text (save it as "CSV UTF-8")');
  }
}

function checkedHeader(header: string[]): string[] {
  const columns = header.map((cell) => cell.trim());
  const seen = new Set<string>();
  for (const column of columns) {
    if (!KNOWN_COLUMNS.has(column)) {
      const hint = header.length === 1 && /[;\t]/.test(column) ? ' (columns are separated by commas)' : '';
      throw fileError('line 1', `unknown column "${column.slice(0, 60)}"${hint}; the columns are those of GET /v1/client-imports/template.csv`);
    }
    if (seen.has(column)) throw fileError('line 1', `column "${column}" appears twice`);
    seen.add(column);
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !seen.has(column));
  if (missing.length) throw fileError('line 1', `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return columns;
}

/** csv-parse's refusal, with the line where the record at fault starts (an unclosed quote runs to the end of the file). */
function csvError(error: CsvError, text: string): RpcError {
  const line = `line ${Number(error.lines) || 1}`;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED': {
      // `bytes`: where the last whole record ended, that is where the open quote's record starts.
      let breaks = 0;
      for (const byte of Buffer.from(text).subarray(0, Number(error.bytes) || 0)) if (byte === 0x0a) breaks += 1;
      return fileError(`line ${breaks + 1}`, 'a quoted cell opens here and never closes');
    }
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return fileError(line, 'a quote inside a cell; a cell with quotes is quoted as a whole, its quotes doubled ("say ""hi""")');
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const [, expected, got] = /expect (\d+), got (\d+)/.exec(error.message) ?? [];
      return fileError(line, expected ? `${got} cells where the header has ${expected}` : 'another number of cells than the header');
    }
    case 'CSV_MAX_RECORD_SIZE':
      return fileError(line, `a row longer than ${MAX_ROW_BYTES / 1024} KiB`);
    default:
      return fileError(line, 'the line cannot be read as CSV');
  }
}
