import { parse } from 'csv-parse/sync';
import { csvStream, csvText, neutralizeCell, prefersCsv, restoreCell } from './csv';

describe('neutralizeCell and restoreCell (OWASP CSV injection)', () => {
  it.each(['=1+1', '=HYPERLINK("http://x","y")', '@SUM(A1)', '\tcmd', '\rcmd', '+cmd', '-cmd', '+', '-', '- 1', "'=1", "''@x"])(
    'prefixes %j with a quote, and restoring gives it back',
    (cell) => {
      expect(neutralizeCell(cell)).toBe(`'${cell}`);
      expect(restoreCell(neutralizeCell(cell))).toBe(cell);
    },
  );

  it.each(['+34911234567', '-5', '-0.5', 'Acme', "O'Brien", "'quoted'", '', 'a=b', 'x@y.z'])('leaves %j alone, both ways', (cell) => {
    expect(neutralizeCell(cell)).toBe(cell);
    expect(restoreCell(cell)).toBe(cell);
  });

  it('restores only what neutralizing would have written: a quote before a formula, not any leading quote', () => {
    expect(restoreCell("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(restoreCell("'hello")).toBe("'hello");
  });
});

describe('csvText', () => {
  it('quotes per RFC 4180 (commas, quotes, line breaks), ends records with CRLF and reads back unchanged', () => {
    const rows = [['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', 'ünïcødé 😀']];
    const text = csvText(rows);

    expect(text).toBe('plain,"a,b","say ""hi""","two\nlines","cr\r\nlf",ünïcødé 😀\r\n');
    expect(parse(text)).toEqual(rows);
  });

  it('writes null and undefined as empty cells and neutralizes formulas', () => {
    expect(csvText([[null, undefined, '=1', '+34600000000']])).toBe(",,'=1,+34600000000\r\n");
  });
});

describe('csvStream', () => {
  it('writes a byte order mark and the header, then each page as it is pulled', async () => {
    let pulled = 0;
    async function* pages() {
      for (let page = 0; page < 3; page += 1) {
        pulled += 1;
        yield [[`row ${page}`, '=cmd']];
      }
    }
    const stream = csvStream(['name', 'note'], pages());
    expect(pulled).toBe(0);

    let text = '';
    for await (const chunk of stream) text += chunk.toString();

    expect(text).toBe("\ufeffname,note\r\nrow 0,'=cmd\r\nrow 1,'=cmd\r\nrow 2,'=cmd\r\n");
  });
});

describe('prefersCsv', () => {
  it.each([
    ['text/csv', true],
    ['text/csv, application/json', true],
    ['application/json, text/csv;q=0.5', false],
    ['text/csv;q=0.9, */*;q=0.1', true],
    ['text/*', true],
    ['application/json', false],
    ['*/*', false],
    ['text/csv;q=0', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (accept, expected) => {
    expect(prefersCsv(accept)).toBe(expected);
  });
});
