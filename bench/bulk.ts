/**
 * Bulk import and CSV export (`npm run bench`, or `npm run bench -- --bulk-only`):
 * 1,000 rows imported through the whole stack with their invitation e-mails,
 * and 200,000 clients exported as CSV while the gateway's memory is sampled.
 */
import { readFileSync } from 'node:fs';
import { call, startStack, waitFor, type Stack } from '@clientele/testing';
import { migrateAccounts } from '../apps/accounts/src/migrate';
import { migrateNotifications } from '../apps/notifications/src/migrate';

const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000);
const EXPORT_CLIENTS = Number(process.env.BENCH_EXPORT_CLIENTS ?? 200_000);
const HEADER = 'accountName,companyName,address.country,address.region,address.city,owner.firstName,owner.lastName,owner.email,language';

/** Resident memory of a process, in MB. */
function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb ?? 0) / 1024);
}

async function partner(stack: Stack, name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}@bench.test`;
  const created = await call(stack.baseUrl, 'POST', '/v1/partners', {
    token: stack.operatorToken,
    body: {
      type: 'distributor', accountName: name, companyName: `${name} S.L.`, address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
      owner: { firstName: 'B', lastName: 'P', email, password: 'bench partner password' },
    },
  });
  if (created.status !== 201) throw new Error(`partner not created: ${created.status} ${created.text}`);
  const signIn = await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email, password: 'bench partner password' } });
  return { id: created.body.id as string, token: signIn.body.accessToken as string };
}

/** 1,000 rows as CSV, each owner invited at once: time to the 202, to `done`, and to the last invitation SMTP accepted. */
export async function importCase(stack: Stack): Promise<string> {
  const { token } = await partner(stack, 'Import Bench');
  const lines = Array.from({ length: IMPORT_ROWS }, (_, i) => `Imported ${i},Imported ${i} S.L.,ES,Madrid,Madrid,Ana,Ruiz,import-${i}@bench.test,es`);
  const file = `${HEADER}\r\n${lines.join('\r\n')}\r\n`;
  const mailsBefore = stack.smtp.accepted;
  const started = Date.now();
  const res = await fetch(`${stack.baseUrl}/v1/client-imports`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: file });
  const accepted = (Date.now() - started) / 1000;
  if (res.status !== 202) throw new Error(`import answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const done = await waitFor(
    async () => {
      const job = await call(stack.baseUrl, 'GET', `/v1/client-imports/${id}`, { token });
      return job.body.status === 'done' ? job.body : undefined;
    },
    { timeoutMs: 300_000, intervalMs: 50, what: 'the import to be done' },
  );
  const doneAfter = (Date.now() - started) / 1000;
  await waitFor(async () => stack.smtp.accepted - mailsBefore >= done.created, { timeoutMs: 300_000, intervalMs: 50, what: 'every invitation e-mail' });
  const mailedAfter = (Date.now() - started) / 1000;
  return [
    `${IMPORT_ROWS.toLocaleString('en')} rows of CSV (${Math.round(file.length / 1024)} KiB), each owner invited at once, one accounts and one notifications process. Target: done in ≤ 10 s.`,
    '',
    '| measure | seconds | rows per second |',
    '|---|---|---|',
    `| 202 answered | ${accepted.toFixed(2)} | |`,
    `| import \`done\` (${done.created} created, ${done.failed} failed) | ${doneAfter.toFixed(1)} | ${Math.round(IMPORT_ROWS / doneAfter)} |`,
    `| and every invitation e-mail accepted by SMTP | ${mailedAfter.toFixed(1)} | ${Math.round(done.created / mailedAfter)} e-mails |`,
  ].join('\n');
}

/** EXPORT_CLIENTS clients (seeded in SQL, each with its owner) exported as CSV, read as fast as this process can, gateway RSS sampled. */
export async function exportCase(stack: Stack): Promise<string> {
  const { id: parentId, token } = await partner(stack, 'Export Bench');
  await stack.db.query(
    `with a as (
       insert into accounts.account (id, type, account_name, company_name, billing_emails, status, address, phone, language, currency,
         emergency_contact_email, settings, credit_balance, admin_notes, is_partner, created_at, updated_at, version)
       select gen_random_uuid(), 'customer', 'Export ' || i, 'Export ' || i || ', S.L.', '["billing@export.test", "accounts@export.test"]',
         case when i % 10 = 0 then 'inactive' else 'active' end,
         '{"country":"ES","region":"Madrid","city":"Madrid","line1":"Gran Vía 1","line2":null,"postalCode":"28013"}', '+34911234567',
         'es', 'EUR', null, '{}', 0, case when i % 100 = 0 then '=HYPERLINK("x")' end, false, now() - make_interval(secs => i), now(), 1
       from generate_series(1, $2::int) i
       returning id, account_name, company_name, status, type, created_at),
     r as (
       insert into accounts.relationship (id, parent_id, client_id, status, account_name, company_name, client_status, client_type, client_created_at, created_at)
       select gen_random_uuid(), $1, a.id, 'active', a.account_name, a.company_name, a.status, a.type, a.created_at, a.created_at from a)
     insert into accounts."user" (id, account_id, email, first_name, last_name, role, is_owner, status, created_at, updated_at, version)
     select gen_random_uuid(), a.id, 'export-' || a.id || '@bench.test', 'Ana', 'Ruiz', 'admin', true, 'active', now(), now(), 1 from a`,
    [parentId, EXPORT_CLIENTS],
  );
  await stack.db.query('analyze accounts.account; analyze accounts.relationship; analyze accounts."user"');
  const small = await timedExport(stack, token, '?q=Export%202');
  const whole = await timedExport(stack, token, '?sort=accountName');
  // Once more: memory that stays where the first whole export left it is bounded by pages, not by the clients.
  const again = await timedExport(stack, token, '?sort=accountName');
  return [
    `${EXPORT_CLIENTS.toLocaleString('en')} clients under one partner (seeded in SQL, each with its owner), \`GET /v1/clients?sort=accountName\` with \`Accept: text/csv\`, read as fast as the client can; first a filtered export of a twentieth of them (\`?q=Export 2\`), then the whole export twice, for the gateway's memory to compare. Target: ≤ 30 s, gateway memory flat.`,
    '',
    '| export | rows | size | seconds | rows per second | first byte | gateway RSS MB: before · peak 1st half · peak 2nd half · after | gateway heap in use MB, peak: 1st half · 2nd half |',
    '|---|---|---|---|---|---|---|---|',
    ...([['`?q=Export 2`', small], ['all, `?sort=accountName`', whole], ['all again', again]] as const).map(([name, r]) =>
      `| ${name} | ${r.rows.toLocaleString('en')} | ${(r.bytes / 1024 / 1024).toFixed(1)} MiB | ${r.seconds.toFixed(1)} | ${Math.round(r.rows / r.seconds).toLocaleString('en')} | ${r.firstByteMs} ms | ${r.rss} | ${r.heap} |`),
  ].join('\n');
}

/**
 * One export read to the end as fast as this process can, the gateway's
 * resident memory and V8 heap in use sampled every 100 ms: their peaks in the
 * first and in the second half of the export (flat: the second no higher).
 */
async function timedExport(stack: Stack, token: string, query: string) {
  const gateway = stack.pid('gateway');
  const before = rssMb(gateway);
  const samples: { at: number; rss: number; heap: number }[] = [];
  const started = Date.now();
  const sampler = setInterval(() => {
    void heapUsedMb(stack).then((heap) => samples.push({ at: Date.now() - started, rss: rssMb(gateway), heap }), () => undefined);
  }, 100);
  let firstByteMs = 0;
  let bytes = 0;
  let lines = 0;
  try {
    const res = await fetch(`${stack.baseUrl}/v1/clients${query}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
    if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (!firstByteMs) firstByteMs = Date.now() - started;
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 0x0a) lines += 1;
    }
  } finally {
    clearInterval(sampler);
  }
  const elapsed = Date.now() - started;
  const peak = (half: 0 | 1, of: 'rss' | 'heap') =>
    Math.max(0, ...samples.filter((sample) => (sample.at < elapsed / 2 ? 0 : 1) === half).map((sample) => sample[of]));
  return {
    rows: lines - 1, bytes, seconds: elapsed / 1000, firstByteMs,
    rss: `${before} · ${peak(0, 'rss')} · ${peak(1, 'rss')} · ${rssMb(gateway)}`,
    heap: `${peak(0, 'heap')} · ${peak(1, 'heap')}`,
  };
}

/** The gateway's V8 heap in use, from its /metrics. */
async function heapUsedMb(stack: Stack): Promise<number> {
  const text = await (await fetch(`${stack.baseUrl}/metrics`)).text();
  return Math.round(Number(/^nodejs_heap_size_used_bytes\S* (\S+)/m.exec(text)?.[1] ?? 0) / 1024 / 1024);
}

/** Both cases on one stack of their own (the SMTP server counts the e-mails without parsing them). */
export async function bulkCases(logDir: string): Promise<{ imports: string; exports: string }> {
  const stack = await startStack({ migrations: [migrateAccounts, migrateNotifications], logDir, parseMail: false, env: { RATE_LIMIT_PER_CALLER: '0' } });
  try {
    const imports = await importCase(stack);
    process.stdout.write(`\n${imports}\n`);
    const exports = await exportCase(stack);
    process.stdout.write(`\n${exports}\n`);
    return { imports, exports };
  } finally {
    await stack.close();
  }
}
