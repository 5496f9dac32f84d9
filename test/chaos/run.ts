/**
 * `npm run chaos`: the fault suite. Every phase runs a load of careful
 * clients, injects one fault, waits for quiet and counts (see chaos.ts).
 * `npm run chaos -- --short` runs phases 1, 4 and 5 (what CI runs);
 * `--phases=2,3` any others. A full run writes its table into
 * docs/reliability.md. Exits 1 if any phase lost or doubled something.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHASES, runChaos, table, violations } from './chaos';

const SHORT = [1, 4, 5];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const listed = args.find((a) => a.startsWith('--phases='))?.slice('--phases='.length);
  const phases = args.includes('--short') ? SHORT : listed ? listed.split(',').map(Number) : PHASES.map((p) => p.id);
  const started = Date.now();
  const results = await runChaos(phases);
  const rendered = table(results);
  console.log(`\n${rendered}\n`);
  const problems = results.flatMap(violations);
  if (phases.length === PHASES.length) {
    const file = join(__dirname, '..', '..', 'docs', 'reliability.md');
    const doc = readFileSync(file, 'utf8');
    const stamp = `Last full run: ${new Date().toISOString().slice(0, 10)}, ${Math.round((Date.now() - started) / 1000)} s, 2 replicas of each service.`;
    writeFileSync(file, doc.replace(/<!-- chaos:start -->[\s\S]*<!-- chaos:end -->/, `<!-- chaos:start -->\n${stamp}\n\n${rendered}\n<!-- chaos:end -->`));
    console.log('written to docs/reliability.md');
  }
  for (const problem of problems) console.log(`VIOLATION ${problem}`);
  process.exit(problems.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
