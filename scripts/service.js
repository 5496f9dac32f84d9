#!/usr/bin/env node
// Starts one service from the compiled tree: `node scripts/service.js gateway|accounts|notifications`.
// Before anything is loaded: no allocation-site pretenuring, V8 allocating whole sites' objects straight in the
// old generation. A request's objects die with the request; there they filled it at some 2.5 MB/s under reads,
// and each full collection that followed (every 3–4 s, its threads on both cores) stalled every request in
// flight, the other services' too. ADR 15.
require('node:v8').setFlagsFromString('--no-allocation-site-pretenuring');
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
