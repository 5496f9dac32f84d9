// `node bench/profile-summary.js <file.cpuprofile>`: self time by package and by function, the biggest first.
const fs = require('fs');
const file = process.argv[2];
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
for (let i = 0; i < p.samples.length; i++) { const id = p.samples[i]; self.set(id, (self.get(id) || 0) + (dt[i] || 0)); total += dt[i] || 0; }
const fn = new Map(), pkg = new Map();
for (const [id, t] of self) {
  const n = byId.get(id); const cf = n.callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/^.*node_modules\//, 'nm:').replace(/^file:\/\/\/work\/main\//, '')}:${cf.lineNumber}`;
  fn.set(key, (fn.get(key) || 0) + t);
  let pk = cf.url.includes('node_modules/') ? cf.url.split('node_modules/').pop().split('/').slice(0, cf.url.split('node_modules/').pop().startsWith('@') ? 2 : 1).join('/') : cf.url.startsWith('node:') ? 'node:' + cf.url.slice(5).split('/')[0] : cf.url.includes('/dist/') ? 'ours' : (cf.url || cf.functionName);
  pkg.set(pk, (pkg.get(pk) || 0) + t);
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${(100 * t / total).toFixed(1).padStart(5)}%  ${n}`).join('\n');
console.log(`total ${(total / 1000).toFixed(0)} ms\n--- by package\n${top(pkg, 25)}\n--- by function\n${top(fn, 40)}`);
