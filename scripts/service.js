#!/usr/bin/env node
// Starts one service from the compiled tree: `node scripts/service.js gateway|accounts|notifications`.
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
