#!/usr/bin/env node
// Builds the partner console (apps/gateway/console) into dist/console: one
// script and one stylesheet with content hashes in their names, and an
// index.html that names them. The gateway serves that folder at /console
// (apps/gateway/src/console); the Docker image copies it with the rest of dist/.
// esbuild's WebAssembly build: the same package on every platform, so
// `npm ci` from the lockfile works everywhere (ADR 0025).
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild-wasm');

const root = path.join(__dirname, '..');
const source = path.join(root, 'apps', 'gateway', 'console');
const out = path.join(root, 'dist', 'console');

async function build() {
  fs.rmSync(out, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { app: path.join(source, 'src', 'main.tsx'), styles: path.join(source, 'src', 'styles.css') },
    outdir: path.join(out, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(source, 'tsconfig.json'),
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const built = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const script = built.find((file) => file.endsWith('.js'));
  const styles = built.find((file) => file.endsWith('.css'));
  // styles.css compiles to a stylesheet and an empty script: only the stylesheet is needed.
  for (const file of built) {
    if (file.startsWith('styles-') && file.endsWith('.js')) fs.rmSync(path.join(out, 'assets', file));
  }
  const html = fs
    .readFileSync(path.join(source, 'index.html'), 'utf8')
    .replace('{{styles}}', `/console/assets/${styles}`)
    .replace('{{script}}', `/console/assets/${script}`);
  fs.writeFileSync(path.join(out, 'index.html'), html);
  return { script, styles };
}

if (require.main === module) {
  const started = Date.now();
  build().then(
    ({ script, styles }) => process.stdout.write(`console: dist/console (${script}, ${styles}) in ${Date.now() - started} ms\n`),
    (error) => {
      process.stderr.write(`console build failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}

module.exports = { build };
