import { connect } from 'node:net';
import { parse } from 'csv-parse/sync';
import { call, startStack, waitFor, type Answer, type Stack } from '@clientele/testing';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(240_000);

const HEADER = 'accountName,companyName,address.country,address.region,address.city,owner.firstName,owner.lastName,owner.email';
let sequence = 0;
const unique = (what: string) => `${what}-${Date.now().toString(36)}-${(sequence++).toString(36)}`;
/** A data line for HEADER: a client named `name` with an owner e-mail of its own. */
const line = (name: string, overrides: { city?: string; email?: string } = {}) =>
  `${name},${name} S.L.,ES,Madrid,${overrides.city ?? 'Madrid'},Ana,Ruiz,${overrides.email ?? `${unique('owner')}@import.test`}`;
const csvFile = (...lines: string[]) => lines.map((l) => `${l}\r\n`).join('');

/**
 * Bulk import and CSV export end to end: the stack as processes, the rows
 * created in the background by accounts' workers, the invitations arriving at
 * the SMTP server.
 */
describe('client imports and the CSV export', () => {
  let stack: Stack;
  let token: string;
  let partnerId: string;

  const postCsv = (text: string | Buffer, options: { token?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${stack.baseUrl}/v1/client-imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token ?? token}`, 'content-type': 'text/csv', ...options.headers },
      body: text,
    }).then(async (res) => ({ status: res.status, headers: res.headers, body: JSON.parse((await res.text()) || 'null') as any }));
  /**
   * The answer (status and problem details) to a CSV upload that declares
   * `length` bytes and sends only its first kilobyte: a body over the limit
   * is refused on its Content-Length, before it is read, so a client still
   * writing the rest would meet the server's close (EPIPE) instead of reading
   * the answer.
   */
  const answerToDeclared = (length: number) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const url = new URL(stack.baseUrl);
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /v1/client-imports HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/csv\r\n` +
            `Content-Length: ${length}\r\n\r\n${HEADER}\r\n${'x'.repeat(1024)}`,
        );
      });
      let received = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        const headEnd = received.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = received.subarray(0, headEnd).toString('latin1');
        const bodyLength = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (received.length < headEnd + 4 + bodyLength) return;
        socket.destroy();
        const body = received.subarray(headEnd + 4, headEnd + 4 + bodyLength).toString('utf8');
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: body ? JSON.parse(body) : null });
      });
      socket.on('error', reject);
      socket.setTimeout(10_000, () => socket.destroy(new Error('no answer to a body declared over the limit')));
    });
  const importOf = (id: string, as = token) => call(stack.baseUrl, 'GET', `/v1/client-imports/${id}`, { token: as });
  const done = (id: string, as = token) =>
    waitFor(
      async () => {
        const answer = await importOf(id, as);
        return answer.body.status === 'done' ? answer.body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `import ${id} to be done` },
    );
  /** Every processed row, page by page. */
  const rowsOf = async (id: string, limit = 200) => {
    const rows: any[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await call(stack.baseUrl, 'GET', `/v1/client-imports/${id}/rows?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(page.status).toBe(200);
      rows.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return rows;
  };
  const imports = async () => Number((await stack.db.query<{ n: string }>('select count(*) as n from accounts.client_import'))[0].n);
  const clientsNamed = async (name: string) =>
    Number((await stack.db.query<{ n: string }>('select count(*) as n from accounts.account where lower(account_name) = lower($1)', [name]))[0].n);
  const exportCsv = async (query = '', as = token) => {
    const res = await fetch(`${stack.baseUrl}/v1/clients${query}`, { headers: { authorization: `Bearer ${as}`, accept: 'text/csv' } });
    // The bytes as sent: a text decoder would drop the byte order mark.
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8') };
  };

  beforeAll(async () => {
    stack = await startStack({ migrations });
    const partner = await partnerWithToken(stack);
    token = partner.token;
    partnerId = partner.partner.id;
  });
  afterAll(async () => stack?.close());

  it('imports a CSV file: 202 at once, each row checked and created as a single create, invitations e-mailed, results per row', async () => {
    const good = unique('Good');
    const ownerEmail = `${unique('carla')}@import.test`;
    const file = csvFile(
      `${HEADER},phone,billingEmails,language`,
      `${line(good, { email: ownerEmail })},+34911234567,a@good.example;b@good.example,es`,
      `${line(unique('BadEmail'), { email: 'not-an-email' })},,,`,
      `${line(unique('NoCity'), { city: '' })},,,`,
    );

    const posted = await postCsv(file);

    expect(posted.status).toBe(202);
    expect(posted.body).toEqual({ id: expect.any(String), status: 'queued', total: 3 });
    expect(posted.headers.get('location')).toBe(`/v1/client-imports/${posted.body.id}`);
    const finished = await done(posted.body.id);
    expect(finished).toMatchObject({ total: 3, processed: 3, created: 1, failed: 2, finishedAt: expect.any(String) });
    const rows = await rowsOf(posted.body.id);
    expect(rows).toEqual([
      { row: 1, status: 'created', clientId: expect.any(String) },
      { row: 2, status: 'failed', code: 'validation_failed', errors: [{ field: 'owner.email', message: 'owner.email must be an e-mail address' }] },
      { row: 3, status: 'failed', code: 'validation_failed', errors: [{ field: 'address.city', message: 'address.city is required' }] },
    ]);
    // The same refusals a single create answers.
    const single = await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody({ address: { country: 'ES', region: 'Madrid' } }) });
    expect(single.body.errors).toEqual(rows[2].errors);

    const client = await call(stack.baseUrl, 'GET', `/v1/clients/${rows[0].clientId}`, { token });
    expect(client.body).toMatchObject({ accountName: good, phone: '+34911234567', language: 'es', billingEmails: ['a@good.example', 'b@good.example'] });
    const mail = await stack.smtp.waitForMessage((m) => JSON.stringify(m.to ?? '').includes(ownerEmail), 'the invitation of the imported owner');
    expect(mail.text).toContain('/invitations/');
    const [event] = await stack.db.query<{ type: string; data: Record<string, unknown> }>(
      `select event->>'type' as type, event->'data' as data from accounts.outbox where aggregate_id = $1`,
      [posted.body.id],
    );
    expect(event).toEqual({ type: 'accounts.client-import.completed', data: { importId: posted.body.id, accountId: partnerId, total: 3, created: 1, failed: 2 } });
  });

  it('records the import once in the audit trail, and each created client as done by the importer in that request', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/client-imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'user-agent': 'importer/1.0', 'x-request-id': unique('req') },
      body: csvFile(HEADER, line(unique('Audited')), line(unique('Audited'))),
    });
    const { id } = (await res.json()) as { id: string };
    await done(id);
    const requestId = res.headers.get('x-request-id');
    const entries = await stack.db.query<{ action: string; actor_type: string; actor_id: string; user_agent: string; request_id: string }>(
      `select action, actor_type, actor_id, user_agent, request_id from accounts.audit_event where request_id = $1 order by occurred_at`,
      [requestId],
    );
    const importer = entries.find((e) => e.action === 'client-import.created');
    expect(entries.filter((e) => e.action === 'client-import.created')).toHaveLength(1);
    expect(importer).toMatchObject({ actor_type: 'user', user_agent: 'importer/1.0' });
    expect(entries.filter((e) => e.action === 'client.created')).toEqual([
      expect.objectContaining({ actor_type: 'user', actor_id: importer!.actor_id, user_agent: 'importer/1.0' }),
      expect.objectContaining({ actor_type: 'user', actor_id: importer!.actor_id, user_agent: 'importer/1.0' }),
    ]);
  });

  it('imports JSON { rows } with the same per-row checks, and with a Location to follow', async () => {
    const body = { rows: [clientBody({ owner: { firstName: 'Jo', lastName: 'Doe', email: `${unique('jo')}@import.test`, password: 'correct horse battery staple' } }), { accountName: 'x' }] };
    const posted = await call(stack.baseUrl, 'POST', '/v1/client-imports', { token, body });

    expect(posted.status).toBe(202);
    await done(posted.body.id);
    const rows = await rowsOf(posted.body.id);
    expect(rows[0]).toMatchObject({ row: 1, status: 'created' });
    expect(rows[1]).toMatchObject({ row: 2, status: 'failed', code: 'validation_failed' });
    expect(rows[1].errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['companyName', 'address', 'owner']));
    const owner = await call(stack.baseUrl, 'GET', `/v1/clients/${rows[0].clientId}`, { token });
    expect(owner.body.owner.status).toBe('active');
  });

  it.each([
    ['an unclosed quote', csvFile(HEADER, line('Fine'), `"Open,x,ES,M,M,A,B,c@d.example`, line('Later')), 'line 3: a quoted cell opens here and never closes'],
    ['an unknown column', csvFile(`${HEADER},colour`, `${line('Fine')},red`), 'line 1: unknown column "colour"'],
    ['a missing required column', csvFile('accountName,companyName', 'A,B'), 'line 1: missing required columns'],
    ['cells that do not match the header', csvFile(HEADER, line('Fine'), 'only,three,cells'), 'line 3: 3 cells where the header has 8'],
    ['1,001 rows', csvFile(HEADER, ...Array.from({ length: 1001 }, (_, i) => line(`Many ${i}`))), 'row 1001: a file holds at most 1,000 rows'],
    ['a 3 MiB line', `${HEADER}\r\n${'x'.repeat(3 * 1024 * 1024)}\r\n`, 'line 2: a row longer than 64 KiB'],
    ['binary', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xc3, 0x28, 0xff, 0xfe]), 'line 1: the file is not UTF-8'],
  ])('refuses a file with %s as a whole: 400 naming the line, nothing stored', async (_what, file, message) => {
    const before = await imports();

    const posted = await postCsv(file);

    expect(posted.status).toBe(400);
    expect(posted.headers.get('content-type')).toContain('application/problem+json');
    expect(posted.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'file', message: expect.stringContaining(message) }] });
    expect(posted.body.detail).toContain(message.split(':')[0]);
    expect(await imports()).toBe(before);
  });

  it('refuses more than 5 MiB (413), another encoding (415), CSV on other routes (415), and customers (403)', async () => {
    const before = await imports();
    // Just over the limit, and far over it.
    for (const length of [5 * 1024 * 1024 + 1, 10 * 1024 * 1024]) {
      const tooBig = await answerToDeclared(length);
      expect(tooBig.status).toBe(413);
      expect(tooBig.body).toMatchObject({ code: 'payload_too_large', detail: 'The body is larger than 5 MiB.' });
    }
    const latin = await postCsv(csvFile(HEADER, line('Latin')), { headers: { 'content-type': 'text/csv; charset=iso-8859-1' } });
    expect(latin.status).toBe(415);
    expect(latin.body.detail).toBe('Send the body as text/csv (UTF-8) or application/json.');
    const elsewhere = await fetch(`${stack.baseUrl}/v1/clients`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csvFile(HEADER, line('X')) });
    expect(elsewhere.status).toBe(415);
    const bigJson = await call(stack.baseUrl, 'POST', '/v1/clients', { token, raw: JSON.stringify({ accountName: 'x'.repeat(1536 * 1024) }), headers: { 'content-type': 'application/json' } });
    expect(bigJson.status).toBe(413);

    const customer = await call(stack.baseUrl, 'POST', '/v1/clients', {
      token,
      body: clientBody({ owner: { firstName: 'C', lastName: 'U', email: `${unique('customer')}@import.test`, password: 'customer owner passphrase' } }),
    });
    const customerToken = (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: customer.body.owner.email, password: 'customer owner passphrase' } })).body.accessToken;
    expect((await postCsv(csvFile(HEADER, line('Nope')), { token: customerToken })).status).toBe(403);
    expect(await imports()).toBe(before);
  });

  it('imports a file larger than one NATS message (sent in parts), with its BOM and formula cells', async () => {
    const names = Array.from({ length: 300 }, () => unique('Part'));
    const notes = 'n'.repeat(4000);
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(csvFile(`${HEADER},adminNotes,invitation.send`, ...names.map((name, i) => `${line(i === 0 ? `'=${name}` : name)},${i === 1 ? "'@SUM(A1)" : notes},none`))),
    ]);
    expect(body.length).toBeGreaterThan(1024 * 1024);

    const posted = await postCsv(body, { headers: { 'idempotency-key': unique('parts') } });

    expect(posted.status).toBe(202);
    expect(await done(posted.body.id)).toMatchObject({ total: 300, created: 300, failed: 0 });
    expect(await clientsNamed(`=${names[0]}`)).toBe(1);
    const [second] = await stack.db.query<{ admin_notes: string }>('select admin_notes from accounts.account where account_name = $1', [names[1]]);
    expect(second.admin_notes).toBe('@SUM(A1)');
  });

  it('fails the second of two rows with the same name (compared ignoring case) with account_name_taken', async () => {
    const name = unique('Twice');
    const posted = await postCsv(csvFile(HEADER, line(name), line(name.toUpperCase())));
    await done(posted.body.id);

    const rows = await rowsOf(posted.body.id);
    expect(rows.map((r) => [r.row, r.status, r.code])).toEqual([[1, 'created', undefined], [2, 'failed', 'account_name_taken']]);
    expect(rows[1].errors).toEqual([{ field: 'accountName', message: 'accountName is already taken (names are compared ignoring case)' }]);
    expect(await clientsNamed(name)).toBe(1);
  });

  it('races single creates of the same names: each name once, the loser a clear 409 or a failed row, never a 5xx', async () => {
    const names = Array.from({ length: 60 }, () => unique('Race'));
    const posted = postCsv(csvFile(HEADER, ...names.map((name) => line(name))));
    const singles = await Promise.all(names.map(async (name, i) => {
      await new Promise((r) => setTimeout(r, i * 5));
      return call(stack.baseUrl, 'POST', '/v1/clients', { token, body: clientBody({ accountName: name, invitation: { send: 'none' } }) });
    }));
    const { body } = await posted;
    await done(body.id);
    const rows = await rowsOf(body.id);

    expect(singles.every((s) => s.status === 201 || (s.status === 409 && s.body.code === 'account_name_taken'))).toBe(true);
    for (const [i, name] of names.entries()) {
      const row = rows[i];
      expect(row.status === 'created' || row.code === 'account_name_taken').toBe(true);
      // Exactly one of the two won.
      expect(Number(singles[i].status === 201) + Number(row.status === 'created')).toBe(1);
      expect(await clientsNamed(name)).toBe(1);
    }
  });

  it('replays an import for a repeated Idempotency-Key, and refuses the key with another file', async () => {
    const key = unique('key');
    const file = csvFile(HEADER, line(unique('Once')));
    const first = await postCsv(file, { headers: { 'idempotency-key': key } });
    const again = await postCsv(file, { headers: { 'idempotency-key': key } });
    const other = await postCsv(csvFile(HEADER, line(unique('Other'))), { headers: { 'idempotency-key': key } });

    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const [{ n }] = await stack.db.query<{ n: string }>(`select count(*) as n from accounts.idempotency_key where key = $1`, [key]);
    expect(n).toBe('1');
  });

  it('lists your own imports only; another account reads none of them (404)', async () => {
    const posted = await postCsv(csvFile(HEADER, line(unique('Mine'))));
    await done(posted.body.id);
    const stranger = await partnerWithToken(stack);

    const mine = await call(stack.baseUrl, 'GET', '/v1/client-imports?limit=2', { token });
    expect(mine.body.data[0]).toMatchObject({ id: posted.body.id, status: 'done', total: 1, processed: 1, created: 1, failed: 0 });
    expect(mine.body.nextCursor).toEqual(expect.any(String));
    const next = await call(stack.baseUrl, 'GET', `/v1/client-imports?limit=2&cursor=${mine.body.nextCursor}`, { token });
    expect(next.body.data.map((i: { id: string }) => i.id)).not.toContain(posted.body.id);
    expect((await call(stack.baseUrl, 'GET', '/v1/client-imports', { token: stranger.token })).body.data).toEqual([]);
    expect((await importOf(posted.body.id, stranger.token)).status).toBe(404);
    expect((await call(stack.baseUrl, 'GET', `/v1/client-imports/${posted.body.id}/rows`, { token: stranger.token })).status).toBe(404);
    expect((await importOf('not-an-id')).status).toBe(404);
  });

  it('serves a template to start from, which imports as it is', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/client-imports/template.csv`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="client-import-template.csv"');
    const [header, example] = parse(text, { bom: true }) as string[][];
    expect(header.slice(0, 3)).toEqual(['accountName', 'companyName', 'type']);
    expect(example).toHaveLength(header.length);
    const fresh = await partnerWithToken(stack);
    const posted = await postCsv(text, { token: fresh.token });
    expect(await done(posted.body.id, fresh.token)).toMatchObject({ created: 1 });
  });

  it('exports the clients as CSV with the list filters and sort, neutralizing formulas, and the export imports again unchanged', async () => {
    const source = await partnerWithToken(stack);
    const make = (accountName: string, extra: Record<string, unknown> = {}) =>
      call(stack.baseUrl, 'POST', '/v1/clients', { token: source.token, body: clientBody({ accountName, invitation: { send: 'none' }, ...extra }) });
    await make('bravo', { phone: '+34911234567', billingEmails: ['x@b.example', 'y@b.example'], adminNotes: 'line one\nline "two", three' });
    await make('=alpha', { companyName: '@Alpha, S.A.', address: { country: 'IT', region: 'Lazio', city: 'Roma', line1: '-Via Appia', postalCode: '00100' } });
    await make('charlie', { type: 'reseller', language: 'pt-BR', currency: 'BRL', invitation: { send: 'scheduled', sendAt: '2099-01-01T00:00:00Z' } });
    const inactive = await make('delta');
    await call(stack.baseUrl, 'POST', `/v1/clients/${inactive.body.id}/deactivate`, { token: source.token });

    const all = await exportCsv('?sort=accountName&limit=1', source.token);
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(all.headers.get('content-disposition')).toMatch(/^attachment; filename="clients-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...all.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...records] = parse(all.text, { bom: true }) as string[][];
    expect(header.slice(-4)).toEqual(['id', 'status', 'owner.status', 'createdAt']);
    const cell = (record: string[], column: string) => record[header.indexOf(column)];
    expect(records.map((r) => cell(r, 'accountName'))).toEqual(["'=alpha", 'bravo', 'charlie', 'delta']);
    expect(cell(records[0], 'companyName')).toBe("'@Alpha, S.A.");
    expect(cell(records[0], 'address.line1')).toBe("'-Via Appia");
    expect(cell(records[1], 'phone')).toBe('+34911234567');
    expect(cell(records[1], 'billingEmails')).toBe('x@b.example;y@b.example');
    expect(cell(records[1], 'adminNotes')).toBe('line one\nline "two", three');
    expect(cell(records[2], 'invitation.send')).toBe('scheduled');
    expect(cell(records[3], 'status')).toBe('inactive');
    expect(all.text).toContain('"line one\nline ""two"", three"');

    const filtered = await exportCsv('?status=active&sort=-accountName', source.token);
    expect((parse(filtered.text, { bom: true }) as string[][]).slice(1).map((r) => r[0])).toEqual(['charlie', 'bravo', "'=alpha"]);
    const searched = await exportCsv('?q=br', source.token);
    expect(parse(searched.text, { bom: true })).toHaveLength(2);

    // Into another partner, and out again: the same clients. Owner e-mails are unique among users, so the source's
    // owners leave first (as an expired invitation removes an owner).
    await stack.db.query(
      `update accounts."user" set status = 'removed' where is_owner and account_id in (select client_id from accounts.relationship where parent_id = $1)`,
      [source.partner.id],
    );
    const target = await partnerWithToken(stack);
    const reimported = await postCsv(all.text, { token: target.token });
    expect(reimported.status).toBe(202);
    expect(await done(reimported.body.id, target.token)).toMatchObject({ created: 4, failed: 0 });
    const again = await exportCsv('?sort=accountName', target.token);
    const [, ...againRecords] = parse(again.text, { bom: true }) as string[][];
    const importColumns = (record: string[]) => [...record.slice(0, header.indexOf('id')), cell(record, 'status')];
    expect(againRecords.map(importColumns)).toEqual(records.map(importColumns));
  });

  it('streams a long export page by page, asking accounts for more only as the client reads', async () => {
    const { partner, token: reader } = await partnerWithToken(stack);
    await stack.db.query(
      `with a as (
         insert into accounts.account (id, type, account_name, company_name, billing_emails, status, address, language, currency, settings,
           credit_balance, admin_notes, is_partner, created_at, updated_at, version)
         select gen_random_uuid(), 'customer', 'Long ' || i, 'Long ' || i || ' S.L.', '[]', 'active', '{"country":"ES","region":"M","city":"M"}',
           'en', 'USD', '{}', 0, repeat('n', 1000), false, now() - make_interval(secs => i), now(), 1 from generate_series(1, 30000) i
         returning id, account_name, company_name, status, type, created_at)
       insert into accounts.relationship (id, parent_id, client_id, status, account_name, company_name, client_status, client_type, client_created_at, created_at)
       select gen_random_uuid(), $1, a.id, 'active', a.account_name, a.company_name, a.status, a.type, a.created_at, a.created_at from a`,
      [partner.id],
    );
    const pagesServed = async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${stack.ports.accounts}/metrics`)).text();
      return [...metrics.matchAll(/clientele_rpc_handler_seconds_count\{[^}]*subject="accounts\.rpc\.clients\.export"[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    };
    const before = await pagesServed();

    const res = await fetch(`${stack.baseUrl}/v1/clients`, { headers: { authorization: `Bearer ${reader}`, accept: 'text/csv' } });
    const body = res.body!.getReader();
    let bytes = 0;
    let lines = 0;
    const take = (chunk: Uint8Array) => {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 0x0a) lines += 1;
    };
    take((await body.read()).value!);
    await new Promise((r) => setTimeout(r, 1_500));
    const whileStopped = (await pagesServed()) - before;
    for (let chunk = await body.read(); !chunk.done; chunk = await body.read()) take(chunk.value);
    const pages = (await pagesServed()) - before;

    // About 50 pages of ~0.7 MiB: a reader that stopped after its first chunk held the export back (what was read
    // meanwhile is what the sockets' buffers hold), and the rest came once it read on.
    expect(pages).toBeGreaterThanOrEqual(40);
    expect(whileStopped).toBeLessThan(pages / 3);
    expect(bytes).toBeGreaterThan(30 * 1024 * 1024);
    expect(lines).toBe(30001);
  });

  it('answers a refused export as problem details before any CSV is written', async () => {
    const res = await exportCsv(`?parent=${'0190a5d2-7c1e-7b3a-9f00-000000000000'}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await exportCsv('?sort=colour')).status).toBe(400);
  });

  it('finishes an import whose worker was killed mid-way, creating no row twice', async () => {
    const names = Array.from({ length: 1000 }, () => unique('Crash'));
    const posted = await postCsv(csvFile(`${HEADER},invitation.send`, ...names.map((name) => `${line(name)},none`)));
    expect(posted.status).toBe(202);
    await waitFor(async () => (await importOf(posted.body.id)).body.processed >= 100, { timeoutMs: 30_000, intervalMs: 20, what: 'the import to be under way' });

    await stack.stop('accounts', 'SIGKILL');
    const [atCrash] = await stack.db.query<{ processed: number }>('select processed from accounts.client_import where id = $1', [posted.body.id]);
    expect(atCrash.processed).toBeLessThan(1000);
    await stack.start('accounts');

    const finished = await done(posted.body.id);
    expect(finished).toMatchObject({ total: 1000, processed: 1000, created: 1000, failed: 0 });
    const [counts] = await stack.db.query<{ rows: string; clients: string; events: string }>(
      `select (select count(distinct client_id) from accounts.client_import_row where import_id = $1 and status = 'created') as rows,
              (select count(*) from accounts.account where account_name like 'Crash-%') as clients,
              (select count(*) from accounts.outbox o join accounts.client_import_row r on r.client_id::text = o.aggregate_id::text
                where r.import_id = $1 and o.event->>'type' = 'accounts.client.created') as events`,
      [posted.body.id],
    );
    expect(counts).toEqual({ rows: '1000', clients: '1000', events: '1000' });
    const completions = await stack.db.query(`select 1 from accounts.outbox where aggregate_id = $1`, [posted.body.id]);
    expect(completions).toHaveLength(1);
  });
});
