#!/usr/bin/env node
// Checks the module boundaries the design relies on (run by `npm run lint`):
// apps never import each other; libraries never import apps; libs/contracts
// imports no other library of ours; domain code imports no transport.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* files(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.name.endsWith('.ts')) yield full;
  }
}

/** Where an import points: { kind: 'app', name } | { kind: 'lib', name } | { kind: 'package', name }. */
function target(from, specifier) {
  if (specifier.startsWith('@clientele/')) return { kind: 'lib', name: specifier.split('/')[1] };
  if (specifier.startsWith('.')) {
    const rel = path.relative(root, path.resolve(path.dirname(from), specifier)).split(path.sep);
    if (rel[0] === 'apps' || rel[0] === 'libs') return { kind: rel[0] === 'apps' ? 'app' : 'lib', name: rel[1] };
    return { kind: 'other', name: rel.join('/') };
  }
  return { kind: 'package', name: specifier };
}

const TRANSPORT = ['@nestjs/microservices', 'nats', '@clientele/messaging', '@nestjs/platform-fastify', 'fastify'];
const problems = [];

for (const top of ['apps', 'libs']) {
  for (const file of files(path.join(root, top))) {
    const rel = path.relative(root, file);
    const [, owner] = rel.split(path.sep);
    const isDomain = rel.includes(`${path.sep}domain${path.sep}`);
    const source = fs.readFileSync(file, 'utf8');
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      const to = target(file, specifier);
      if (top === 'apps' && to.kind === 'app' && to.name !== owner) problems.push(`${rel}: an app imports another app (${specifier})`);
      if (top === 'libs' && to.kind === 'app') problems.push(`${rel}: a library imports an app (${specifier})`);
      if (top === 'libs' && owner === 'contracts' && to.kind === 'lib' && to.name !== 'contracts') {
        problems.push(`${rel}: libs/contracts imports another library (${specifier})`);
      }
      if (isDomain && !rel.endsWith('.spec.ts') && TRANSPORT.includes(to.kind === 'lib' ? `@clientele/${to.name}` : to.name)) {
        problems.push(`${rel}: domain code imports a transport (${specifier})`);
      }
    }
  }
}

if (problems.length) {
  process.stderr.write(`Module boundaries broken:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('module boundaries: ok\n');
