/**
 * A profiling run: a stack with every service preloading bench/cpu-profile.js,
 * CLIENTS clients (50), then one request path under autocannon (16 connections). Each
 * service writes <service>-<pid>.cpuprofile into PROF_DIR; summarize with
 * `node bench/profile-summary.js <file>`.
 *
 *   PROF_DIR=/tmp/prof [PATH_KIND=get|list|create|import] [MAIL=1] [CLIENTS=50] [SECS=14] [DELAY=7000] \
 *     node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/profile.ts
 */
import autocannon from 'autocannon';
import { call, startStack } from '@clientele/testing';
import { migrateAccounts } from '../apps/accounts/src/migrate';
import { migrateNotifications } from '../apps/notifications/src/migrate';
async function main() {
  const dir = process.env.PROF_DIR!;
  const stack = await startStack({ migrations: [migrateAccounts, migrateNotifications], env: { NODE_OPTIONS: `--require ${__dirname}/cpu-profile.js`, PROFILE_DIR: dir, PROFILE_DELAY_MS: process.env.DELAY ?? '7000', PROFILE_MS: '7000', RATE_LIMIT_PER_CALLER: process.env.LIMIT ?? '100000/1m' } });
  try {
    const owner = { firstName: 'B', lastName: 'P', email: 'p@bench.test', password: 'bench partner password' };
    await call(stack.baseUrl, 'POST', '/v1/partners', { token: stack.operatorToken, body: { type: 'distributor', accountName: 'P', companyName: 'P S.L.', address: { country: 'ES', region: 'Madrid', city: 'Madrid' }, owner } });
    const token = (await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: owner.email, password: owner.password } })).body.accessToken;
    const ids: string[] = [];
    for (let i = 0; i < Number(process.env.CLIENTS ?? 50); i++) ids.push((await call(stack.baseUrl, 'POST', '/v1/clients', { token, body: { accountName: `c${i}`, companyName: `C ${i}`, address: { country: 'ES', region: 'M', city: 'M' }, owner: { firstName: 'O', lastName: 'W', email: `o${i}@x.test` }, invitation: { send: 'none' } } })).body.id);
    if (process.env.PATH_KIND === 'import') return await profileImport(stack, token);
    let i = 0;
    let n = 0;
    const path = process.env.PATH_KIND === 'list' ? () => '/v1/clients?limit=100' : () => `/v1/clients/${ids[i++ % ids.length]}`;
    const post = process.env.PATH_KIND === 'create';
    const mail = process.env.MAIL === '1';
    const req = post
      ? { method: 'POST' as const, path: '/v1/clients', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, setupRequest: (r: any) => ({ ...r, body: JSON.stringify({ accountName: `p${process.pid}-${n++}`, companyName: 'C', address: { country: 'ES', region: 'M', city: 'M' }, owner: { firstName: 'O', lastName: 'W', email: `p${process.pid}-${n}@x.test` }, ...(mail ? {} : { invitation: { send: 'none' } }) }) }) }
      : { method: 'GET' as const, headers: { authorization: `Bearer ${token}` }, setupRequest: (r: any) => ({ ...r, path: path() }) };
    await autocannon({ url: stack.baseUrl, connections: 16, duration: 3, requests: [req] });
    const r = await autocannon({ url: stack.baseUrl, connections: 16, duration: Number(process.env.SECS ?? 10), requests: [req] });
    console.log(`req/s ${r.requests.average} p50 ${r.latency.p50} p99 ${r.latency.p99} non2xx ${r.non2xx}`);
  } finally { await stack.close(); }
}
/** PATH_KIND=import: a CSV of 1,000 rows, each owner invited at once (set DELAY to the time the stack needs to start, ~1000). */
async function profileImport(stack: Awaited<ReturnType<typeof startStack>>, token: string) {
  const rows = Array.from({ length: 1000 }, (_, k) => `Imported ${k},Imported ${k} S.L.,ES,Madrid,Madrid,Ana,Ruiz,import-${process.pid}-${k}@bench.test`);
  const file = `accountName,companyName,address.country,address.region,address.city,owner.firstName,owner.lastName,owner.email\r\n${rows.join('\r\n')}\r\n`;
  const started = Date.now();
  const res = await fetch(`${stack.baseUrl}/v1/client-imports`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: file });
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const job = await call(stack.baseUrl, 'GET', `/v1/client-imports/${id}`, { token });
    if (job.body.status === 'done') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(`import done in ${Date.now() - started} ms`);
  // The profiles are written when PROFILE_MS runs out.
  await new Promise((r) => setTimeout(r, Number(process.env.PROFILE_WAIT ?? 8000)));
}

main();
