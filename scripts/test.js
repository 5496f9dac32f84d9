#!/usr/bin/env node
// `npm test`: builds the services (the end-to-end tests run them as processes),
// runs the unit specs, then the integration and end-to-end suites one file at
// a time, and closes with one summary line.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const jest = require.resolve('jest/bin/jest');
const extra = process.argv.slice(2);

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

// The services, and the console the browser tests drive (dist/console).
if (run([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']) !== 0 || run([path.join(__dirname, 'build-console.js')]) !== 0) {
  process.stderr.write('build failed\n');
  process.exit(1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let status = 0;
for (const [projects, serial] of [[['unit', 'handler'], false], [['integration', 'e2e'], true]]) {
  const report = path.join(os.tmpdir(), `clientele-jest-${process.pid}-${projects[0]}.json`);
  const args = [jest, '--selectProjects', ...projects, '--json', `--outputFile=${report}`, ...(serial ? ['--runInBand'] : []), ...(extra.length ? ['--passWithNoTests'] : []), ...extra];
  const code = run(args);
  if (fs.existsSync(report)) {
    const result = JSON.parse(fs.readFileSync(report, 'utf8'));
    totals.passed += result.numPassedTests;
    totals.failed += result.numFailedTests;
    totals.skipped += result.numPendingTests + (result.numTodoTests ?? 0);
    fs.rmSync(report);
  }
  if (code !== 0) status = code;
}
process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(status || (totals.passed === 0 ? 1 : 0));
