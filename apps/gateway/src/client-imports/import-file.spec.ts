import { RpcError } from '@clientele/messaging';
import { csvText } from '../http/csv';
import { IMPORT_COLUMNS, TEMPLATE_ROWS, rowOfClient } from './client-csv';
import { rowsOfCsv, rowsOfJson } from './import-file';

const HEADER = 'accountName,companyName,address.country,address.region,address.city,owner.firstName,owner.lastName,owner.email';
const ROW = 'Acme,Acme S.L.,ES,Madrid,Madrid,Ana,Ruiz,ana@acme.example';
const csv = (...lines: string[]) => Buffer.from(lines.map((line) => `${line}\r\n`).join(''));

/** The line a whole-file refusal names, and its message. */
function refusal(work: () => unknown): { status: number; message: string } {
  try {
    work();
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    return { status: error.status, message: error.details?.[0]?.message ?? '' };
  }
  throw new Error('expected a refusal');
}

describe('rowsOfCsv', () => {
  it('maps each row to a client body: required objects always there, an empty cell an absent field', () => {
    const rows = rowsOfCsv(csv(`${HEADER},phone,billingEmails,invitation.send,adminNotes`, `${ROW},,a@x.example; b@x.example,,`));

    expect(rows).toEqual([
      {
        accountName: 'Acme',
        companyName: 'Acme S.L.',
        address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
        owner: { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@acme.example' },
        billingEmails: ['a@x.example', 'b@x.example'],
      },
    ]);
  });

  it('names a missing required cell as a missing field, for the row check to report', () => {
    const [row] = rowsOfCsv(csv(HEADER, 'Acme,Acme S.L.,ES,Madrid,,Ana,Ruiz,ana@acme.example'));
    expect(row.address).toEqual({ country: 'ES', region: 'Madrid' });
  });

  it('accepts a byte order mark, quoted cells with commas, quotes and line breaks, and skips blank lines', () => {
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(HEADER, '"Acme, ""the"" best","Acme\nS.L.",ES,Madrid,Madrid,Ana,Ruiz,ana@acme.example', '')]);
    const [row] = rowsOfCsv(file);
    expect(row).toMatchObject({ accountName: 'Acme, "the" best', companyName: 'Acme\nS.L.' });
  });

  it("removes the quote the export puts before a formula, and keeps every other leading quote", () => {
    const [row] = rowsOfCsv(csv(`${HEADER},adminNotes`, `'=HYPERLINK(1),'Quoted',ES,Madrid,Madrid,Ana,Ruiz,ana@acme.example,'-note`));
    expect(row).toMatchObject({ accountName: '=HYPERLINK(1)', companyName: "'Quoted'", adminNotes: '-note' });
  });

  it('reads an export again: status becomes active, the other export-only columns are skipped', () => {
    const exported = rowOfClient({
      id: '0190a5d2-7c1e-7b3a-9f00-000000000001', type: 'customer', accountName: '=Acme', companyName: 'Acme, S.L.', uniqueIdentifier: null,
      phone: '+34911234567', language: 'es', currency: 'EUR', emergencyContactEmail: null, billingEmails: ['a@x.example', 'b@x.example'],
      address: { country: 'ES', region: 'Madrid', city: 'Madrid', line1: 'Gran Vía 1', line2: null, postalCode: '28013' },
      owner: { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@acme.example', status: 'invited' },
      invitation: { send: 'scheduled', sendAt: '2099-01-01T00:00:00.000Z' }, adminNotes: '@note', status: 'inactive', createdAt: '2026-12-01T00:00:00.000Z',
    });
    const [row] = rowsOfCsv(Buffer.from(csvText([[...IMPORT_COLUMNS, 'id', 'status', 'owner.status', 'createdAt'], exported])));

    expect(row).toEqual({
      accountName: '=Acme', companyName: 'Acme, S.L.', type: 'customer', phone: '+34911234567', language: 'es', currency: 'EUR',
      billingEmails: ['a@x.example', 'b@x.example'], address: { country: 'ES', region: 'Madrid', city: 'Madrid', line1: 'Gran Vía 1', postalCode: '28013' },
      owner: { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@acme.example' }, invitation: { send: 'scheduled', sendAt: '2099-01-01T00:00:00.000Z' },
      adminNotes: '@note', active: false,
    });
  });

  it('reads the template', () => {
    expect(rowsOfCsv(Buffer.from(csvText(TEMPLATE_ROWS)))).toHaveLength(1);
  });

  it.each([
    ['an unclosed quote, at the line it opens', csv(HEADER, ROW, '"Acme,Acme S.L.,ES,Madrid,Madrid,Ana,Ruiz,x@y.example', ROW), 'line 3: a quoted cell opens here and never closes'],
    ['a stray quote', csv(HEADER, ROW, 'Ac"me,Acme S.L.,ES,Madrid,Madrid,Ana,Ruiz,x@y.example'), 'line 3: a quote inside a cell'],
    ['a line with too many cells', csv(HEADER, `${ROW},extra`), 'line 2: 9 cells where the header has 8'],
    ['an unknown column', csv(`${HEADER},colour`, `${ROW},red`), 'line 1: unknown column "colour"'],
    ['a repeated column', csv(`${HEADER},phone,phone`, `${ROW},,`), 'line 1: column "phone" appears twice'],
    ['a missing required column', csv('accountName,companyName', 'Acme,Acme S.L.'), 'line 1: missing required columns address.country'],
    ['semicolons for commas', csv(HEADER.replace(/,/g, ';'), ROW.replace(/,/g, ';')), '(columns are separated by commas)'],
    ['no rows', csv(HEADER), 'line 2: no rows after the header'],
    ['nothing at all', Buffer.alloc(0), 'line 1: the file is empty'],
    ['a line over 64 KiB', csv(HEADER, ROW, `${'x'.repeat(70_000)},Acme S.L.,ES,Madrid,Madrid,Ana,Ruiz,x@y.example`), 'line 3: a row longer than 64 KiB'],
    ['Latin-1 text', Buffer.concat([csv(HEADER, ROW), Buffer.from('Espa\xf1a,Acme S.L.,ES,Madrid,Madrid,Ana,Ruiz,x@y.example\r\n', 'latin1')]), 'line 3: the file is not UTF-8'],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]), 'line 1: the file is not UTF-8'],
  ])('refuses %s with a 400 naming the line', (_what, file, message) => {
    const { status, message: said } = refusal(() => rowsOfCsv(file));
    expect(status).toBe(400);
    expect(said).toContain(message);
  });

  it('takes 1,000 rows and refuses 1,001, naming the first row too many', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => ROW.replace('Acme', `Acme ${i}`));
    expect(rowsOfCsv(csv(HEADER, ...lines(1000)))).toHaveLength(1000);
    expect(refusal(() => rowsOfCsv(csv(HEADER, ...lines(1001)))).message).toBe('row 1001: a file holds at most 1,000 rows; this one has 1,001');
  });
});

describe('rowsOfJson', () => {
  it('takes { rows } of objects as they are: each row is checked when it is imported', () => {
    expect(rowsOfJson({ rows: [{ accountName: 'x' }, {}] })).toEqual([{ accountName: 'x' }, {}]);
  });

  it.each([
    [{ rows: [] }, 'rows'],
    [{ rows: Array.from({ length: 1001 }, () => ({})) }, 'rows'],
    [{ rows: ['Acme'] }, 'rows'],
    [{ rows: [{}], extra: 1 }, 'extra'],
    [[{}], ''],
    [null, ''],
  ])('refuses %j as a whole', (body, field) => {
    try {
      rowsOfJson(body);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(RpcError);
      expect((error as RpcError).details?.[0].field).toBe(field);
    }
  });

  it('refuses a row over 64 KiB, naming it', () => {
    expect(refusal(() => rowsOfJson({ rows: [{}, { adminNotes: 'x'.repeat(70_000) }] })).message).toContain('rows.1: a row may be at most 64 KiB');
  });
});
