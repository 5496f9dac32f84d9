#!/usr/bin/env node
// Starts one service from the compiled tree: `node scripts/service.js gateway|accounts|notifications`.
// Before anything is loaded: no allocation-site pretenuring, V8 allocating whole sites' objects straight in the
// old generation. A request's objects die with the request; there they filled it at some 2.5 MB/s under reads,
// and each full collection that followed (every 3–4 s, its threads on both cores) stalled every request in
// flight, the other services' too. ADR 15.
const v8 = require('node:v8');
v8.setFlagsFromString('--no-allocation-site-pretenuring');
// And the old generation let grow to three times what a full collection leaves live before the next one. V8's own
// choice, from how fast it marks against how slowly requests fill the old generation, is 1.1 times (plus a few MB):
// under reads at half their top rate accounts ran a full collection every 5–8 s, and each one's marking, on both
// cores, held up 60–90 requests by 30–45 ms. The price is memory under load, given back when idle. ADR 15. A
// `--heap-growing-percent` on node's command line is left as given.
if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) v8.setFlagsFromString('--heap-growing-percent=200');
const path = require('node:path');
const { dist } = require('./paths');

const SERVICES = ['gateway', 'accounts', 'notifications'];
const name = process.argv[2];
if (!SERVICES.includes(name)) {
  process.stderr.write(`usage: node scripts/service.js ${SERVICES.join('|')}\n`);
  process.exit(2);
}
// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): its instrumentations patch http, fastify and pg
// as the service loads them (ADR 0018).
require(path.join(dist, 'libs', 'observability', 'src', 'tracing.js')).startTracing(name, process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
require(path.join(dist, 'apps', name, 'src', 'main.js'));
