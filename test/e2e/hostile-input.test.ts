import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { call, invitationTokenOf, startStack, type Stack } from '@clientele/testing';
import { clientBody, fingerprint as fixtureFingerprint, migrations, partnerWithToken, settle as settleStack } from './fixtures';

jest.setTimeout(240_000);

/** Strings that have broken services before: SQL, markup, paths, control characters, huge and odd numbers. */
const HOSTILE = [
  "' OR '1'='1", "'; drop table accounts.account; --", 'Robert"); DELETE FROM accounts."user"; --', '$1', '?', '\\', '%', '_',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '{{7*7}}', '${process.exit()}',
  '../../etc/passwd', '%2e%2e%2f', '\u0000', '\u202e', '\ud83d\ude00', 'A'.repeat(5000), '-1', '0', '1e309', 'NaN', 'null',
  'true', '[]', '{}', '__proto__', 'constructor', '2026-02-30', '9999-12-31T23:59:59Z', '00000000-0000-0000-0000-000000000000',
];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 4 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

/** Field names the routes know, and some they do not; every body mixes them with hostile values. */
const FIELDS = [
  'accountName', 'companyName', 'uniqueIdentifier', 'billingEmails', 'address', 'phone', 'language', 'currency', 'creditBalance',
  'adminNotes', 'owner', 'invitation', 'servicePlans', 'type', 'name', 'product', 'unitType', 'active', 'planId', 'units',
  'startDate', 'email', 'password', 'message', '__proto__', 'constructor', 'status', 'id', 'version', 'required', 'defaults', 'settings', 'rows',
];
const hostileBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 6 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const QUERY_KEYS = ['limit', 'cursor', 'sort', 'status', 'q', 'parent', 'active', 'type', 'kind'];
const hostileQuery = fc.dictionary(fc.constantFrom(...QUERY_KEYS), hostileString, { maxKeys: 3 });
/** What an HTTP client can put in a header at all: visible ASCII and spaces. */
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const headerString = fc.oneof(
  fc.constantFrom(...HOSTILE.filter((h) => /^[\x20-\x7e]*$/.test(h))),
  fc.string({ unit: fc.constantFrom(...PRINTABLE), maxLength: 80 }),
);
const hostileHeaders = fc.record(
  {
    'if-match': headerString,
    'idempotency-key': fc.oneof(headerString, fc.constant('k'.repeat(300))),
    'x-request-id': headerString,
    'content-type': fc.constantFrom(
      'application/json', 'application/merge-patch+json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', '',
      'text/csv', 'text/csv; charset=utf-16',
    ),
    accept: fc.oneof(fc.constantFrom('text/csv', 'text/csv, application/json', 'application/json;q=0.1, text/csv', 'text/csv;q=x'), headerString),
  },
  { requiredKeys: [] },
);

/** An import file's required columns, and cells that have broken CSV readers and spreadsheets: quotes, separators, line breaks, formulas. */
const IMPORT_HEADER = ['accountName', 'companyName', 'address.country', 'address.region', 'address.city', 'owner.firstName', 'owner.lastName', 'owner.email'];
const CSV_TRAPS = [
  '"', '""', '"a"b', 'a"b', 'a,b', '\r\n', '\n', '\r', ',', ';', '=1+1', '=HYPERLINK("http://x","y")', '@SUM(A1)', '+cmd', '-cmd', "'=x",
  '\t=x', '\ufeff', 'ES', 'Madrid', 'owner@hostile.test',
];
const csvCell = fc.oneof(fc.constantFrom(...CSV_TRAPS, ...HOSTILE), fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }));
const csvHeader = fc.oneof(
  fc.constant(IMPORT_HEADER),
  fc.shuffledSubarray([...IMPORT_HEADER, 'phone', 'billingEmails', 'status', 'id', 'colour', ''], { minLength: 1 }),
  fc.array(csvCell, { minLength: 1, maxLength: 6 }),
);
/**
 * A file: hostile cells written properly (RFC 4180), with the required
 * columns (rows that reach the workers) or any header; cells joined raw
 * (quotes left open, uneven rows); bytes that are no UTF-8 text at all.
 */
const hostileCsv: fc.Arbitrary<Buffer> = fc.oneof(
  fc.array(fc.array(csvCell, { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 4 }).map((rows) => Buffer.from(stringify([IMPORT_HEADER, ...rows]))),
  fc.tuple(csvHeader, fc.array(fc.array(csvCell, { minLength: 1, maxLength: 10 }), { maxLength: 6 })).map(([header, rows]) => Buffer.from(stringify([header, ...rows]))),
  fc.tuple(csvHeader, fc.array(fc.array(csvCell, { maxLength: 10 }), { maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r'))
    .map(([header, rows, eol]) => Buffer.from([header, ...rows].map((row) => row.join(',')).join(eol))),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 100 }).map((text) => Buffer.from(`${IMPORT_HEADER.join(',')}\n${text}`, 'utf16le')),
);

/** The API routes with their path parameters; parameters are filled with real ids or hostile text. */
const ROUTES: [string, string][] = [
  ['POST', '/v1/auth/token'], ['POST', '/v1/auth/password-reset'], ['POST', '/v1/auth/password-reset/:token'],
  ['GET', '/v1/invitations/:token'], ['POST', '/v1/invitations/:token/accept'],
  ['POST', '/v1/partners'], ['GET', '/v1/partners'],
  ['POST', '/v1/clients'], ['GET', '/v1/clients'], ['GET', '/v1/clients/:id'], ['PATCH', '/v1/clients/:id'],
  ['POST', '/v1/clients/:id/activate'], ['POST', '/v1/clients/:id/deactivate'], ['DELETE', '/v1/clients/:id/relationship'],
  ['POST', '/v1/clients/:id/invitation/resend'], ['DELETE', '/v1/clients/:id/invitation'], ['GET', '/v1/clients/:id/emails'],
  ['GET', '/v1/clients/:id/licenses'], ['POST', '/v1/clients/:id/licenses'], ['PATCH', '/v1/clients/:id/licenses/:licenseId'],
  ['DELETE', '/v1/clients/:id/licenses/:licenseId'],
  ['GET', '/v1/account'], ['PATCH', '/v1/account'], ['GET', '/v1/account/client-form'], ['PUT', '/v1/account/client-form'],
  ['GET', '/v1/service-plans'], ['POST', '/v1/service-plans'], ['GET', '/v1/service-plans/:planId'], ['PATCH', '/v1/service-plans/:planId'],
  ['POST', '/v1/api-keys'], ['GET', '/v1/api-keys'], ['DELETE', '/v1/api-keys/:keyId'],
  ['POST', '/v1/relationship-requests'], ['GET', '/v1/relationship-requests'], ['POST', '/v1/relationship-requests/:token/accept'],
  ['POST', '/v1/relationship-requests/:token/decline'], ['DELETE', '/v1/relationship-requests/:requestId'],
  ['POST', '/v1/client-imports'], ['GET', '/v1/client-imports'], ['GET', '/v1/client-imports/template.csv'],
  ['GET', '/v1/client-imports/:importId'], ['GET', '/v1/client-imports/:importId/rows'],
];

describe('hostile input: random and malicious bodies, queries, headers and ids on every route', () => {
  let stack: Stack;
  let token: string;
  let ids: Record<string, string>;

  const fingerprint = () => fixtureFingerprint(stack);
  /**
   * After a call that succeeded, waits out what it set going (events to relay,
   * an e-mail whose link accounts mints), so the next refusal is judged alone.
   */
  const settle = () => settleStack(stack, 300);

  beforeAll(async () => {
    stack = await startStack({ migrations });
    ({ token } = await partnerWithToken(stack));
    const client = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody({ invitation: { send: 'none' } }) });
    const plan = await call(stack.baseUrl, 'POST', '/v1/service-plans', { token, body: { name: 'Hostile plan', product: 'P', unitType: 'user' } });
    const license = await call(stack.baseUrl, 'POST', `/v1/clients/${client.body.id}/licenses`, { token, body: { planId: plan.body.id, units: 1, startDate: '2026-12-01' } });
    const key = await call(stack.baseUrl, 'POST', '/v1/api-keys', { token, body: { name: 'hostile' } });
    const imported = await call(stack.baseUrl, 'POST', '/v1/client-imports', { token, body: { rows: [clientBody({ invitation: { send: 'none' } })] } });
    ids = {
      id: client.body.id, planId: plan.body.id, licenseId: license.body.id, keyId: key.body.id, requestId: client.body.id, importId: imported.body.id,
      token: 'x'.repeat(43),
    };
    await settle();
  });
  afterAll(async () => stack?.close());

  it('answers every call with less than 500, problem details for every refusal, and changes nothing when it refuses', async () => {
    const failures: string[] = [];
    let lastSucceeded = true;
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.dictionary(fc.constantFrom('id', 'planId', 'licenseId', 'keyId', 'requestId', 'importId', 'token'), hostileString),
        fc.option(hostileBody, { nil: undefined }),
        hostileQuery,
        hostileHeaders,
        fc.boolean(),
        async ([method, template], hostileIds, body, query, headers, realIds) => {
          const path = template.replace(/:(\w+)/g, (_, name: string) =>
            encodeURIComponent(realIds && !(name in hostileIds) ? ids[name] : (hostileIds[name] ?? ids[name])) || '%20');
          const search = new URLSearchParams(query).toString();
          if (lastSucceeded) await settle();
          const before = await fingerprint();
          const res = await call(stack.baseUrl, method, `${path}${search ? `?${search}` : ''}`, {
            token,
            headers,
            ...(body === undefined || method === 'GET' ? {} : typeof body === 'string' ? { raw: body } : { body }),
          });
          lastSucceeded = res.status < 400;
          const what = `${method} ${path}?${search} ${JSON.stringify(body)?.slice(0, 200)} ${JSON.stringify(headers)} → ${res.status} ${res.text.slice(0, 200)}`;
          if (res.status >= 500) failures.push(`5xx: ${what}`);
          if (res.status >= 400) {
            if (!(res.headers.get('content-type') ?? '').startsWith('application/problem+json')) failures.push(`not problem details: ${what}`);
            else if (!res.body?.code || res.body.status !== res.status) failures.push(`incomplete problem: ${what}`);
            if ((await fingerprint()) !== before) failures.push(`changed on refusal: ${what}`);
          }
        },
      ),
      // Every run is reported (no shrinking): the seed is printed on failure to replay it with FC_SEED.
      { numRuns: Number(process.env.FC_RUNS ?? 400), seed },
    );
    expect({ seed, failures: failures.slice(0, 10) }).toEqual({ seed, failures: [] });
  });

  it('answers hostile CSV files with 202 or a clear 4xx, keeps nothing of a refused one, and finishes every import it took', async () => {
    const failures: string[] = [];
    const accepted: string[] = [];
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    await fc.assert(
      fc.asyncProperty(hostileCsv, fc.constantFrom('text/csv', 'text/csv; charset=utf-8'), async (file, type) => {
        await settle();
        const before = await fingerprint();
        const res = await fetch(`${stack.baseUrl}/v1/client-imports`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: file });
        const text = await res.text();
        const what = `${JSON.stringify(file.toString('utf8').slice(0, 200))} → ${res.status} ${text.slice(0, 200)}`;
        if (res.status === 202) {
          accepted.push((JSON.parse(text) as { id: string }).id);
          return;
        }
        if (res.status < 400 || res.status >= 500) failures.push(`neither 202 nor 4xx: ${what}`);
        else if (!(res.headers.get('content-type') ?? '').startsWith('application/problem+json')) failures.push(`not problem details: ${what}`);
        if ((await fingerprint()) !== before) failures.push(`changed on refusal: ${what}`);
      }),
      { numRuns: Number(process.env.FC_CSV_RUNS ?? 80), seed },
    );
    await settle();
    for (const id of accepted) {
      const job = await call(stack.baseUrl, 'GET', `/v1/client-imports/${id}`, { token });
      if (job.body.status !== 'done' || job.body.processed !== job.body.total) failures.push(`import ${id} not finished: ${job.text}`);
      const rows = await call(stack.baseUrl, 'GET', `/v1/client-imports/${id}/rows?limit=200`, { token });
      for (const row of rows.body.data) if (row.code === 'internal_error') failures.push(`import ${id} row ${row.row}: ${JSON.stringify(row)}`);
    }
    expect({ seed, failures: failures.slice(0, 10) }).toEqual({ seed, failures: [] });
  });

  it('stores SQL and markup verbatim and never lets them run: answers as data, e-mails and pages escaped', async () => {
    const company = `<script>alert(1)</script> Robert'); DROP TABLE accounts.account;--`;
    const partner = await partnerWithToken(stack, { companyName: company });
    const first = `"><img src=x onerror=alert(1)>`;
    const created = await call(stack.baseUrl, 'POST', '/v1/clients', {
      token: partner.token,
      body: clientBody({ companyName: company, owner: { firstName: first, lastName: "O'Brien; --", email: `hostile-${Date.now()}@client.test` } }),
    });
    expect(created.status).toBe(201);
    const read = await call(stack.baseUrl, 'GET', `/v1/clients/${created.body.id}`, { token: partner.token });
    expect(read.body.companyName).toBe(company);
    expect(read.body.owner.firstName).toBe(first);
    expect(read.headers.get('content-type')).toMatch(/^application\/json/);
    const search = await call(stack.baseUrl, 'GET', `/v1/clients?q=${encodeURIComponent("<script>alert(1)</script> Robert'")}`, { token: partner.token });
    expect(search.status).toBe(200);

    // The invitation names the inviting company: escaped in the HTML part, never markup.
    const email: string = created.body.owner.email;
    const mail = await stack.smtp.waitForMessage((m) => JSON.stringify(m.to ?? '').includes(email), 'the invitation');
    expect(String(mail.html)).not.toContain('<script>alert(1)</script>');
    expect(String(mail.html)).not.toContain('<img src=x');
    expect(String(mail.html)).toContain('&lt;script&gt;');
    // The page shows the preview through textContent; its HTML carries no data and a strict policy.
    const link = invitationTokenOf(mail);
    const page = await fetch(`${stack.baseUrl}/invitations/${link}`);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).not.toContain('alert(1)');
    const preview = await call(stack.baseUrl, 'GET', `/v1/invitations/${link}`);
    expect(JSON.stringify(preview.body)).toContain('alert(1)'); // data, for textContent
    const script = await (await fetch(`${stack.baseUrl}/assets/invitation.js`)).text();
    expect(script).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
  });
});
