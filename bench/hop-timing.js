// Preloaded into the gateway and accounts by `npm run bench -- --hops-only`
// (bench/hops.ts): timestamps of each `GET /v1/clients/{id}` at every hop it
// makes, written as lines to $HOP_DIR/<service>-<pid>.log once a second.
//   gateway:  H <start> <end>        the HTTP request event and the response finished
//             G <id> <sent> <back>   the NATS request for the client and its reply
//   accounts: A <id> <start> <sent>  the request taken from NATS and its reply published
//             Q <start> <end>        a named (prepared) PostgreSQL statement
// Times are wall-clock milliseconds (performance.timeOrigin + now), so the
// two processes' lines can be laid side by side. It wraps our own messaging
// classes' methods by name: if one is renamed, it stops the service at once
// rather than measure nothing.
const { performance } = require('node:perf_hooks');
const { appendFileSync } = require('node:fs');
const path = require('node:path');
const { dist } = require('../scripts/paths');

const service = process.argv[2];
const lines = [];
const now = () => (performance.timeOrigin + performance.now()).toFixed(3);
const SUBJECT = 'clients.get';

function wrap(proto, method, around) {
  const original = proto[method];
  if (typeof original !== 'function') throw new Error(`bench/hop-timing.js: ${proto.constructor.name}.${method} is gone`);
  proto[method] = around(original);
}

if (service === 'gateway') {
  const { RpcClient } = require(path.join(dist, 'libs/messaging/src/rpc-client.js'));
  wrap(RpcClient.prototype, 'exchange', (exchange) =>
    async function (subject, data, options) {
      const sent = now();
      try {
        return await exchange.call(this, subject, data, options);
      } finally {
        if (subject.endsWith(SUBJECT)) lines.push(`G ${options.requestId} ${sent} ${now()}`);
      }
    },
  );
  const http = require('node:http');
  wrap(http.Server.prototype, 'emit', (emit) =>
    function (event, request, response) {
      if (event === 'request' && request.method === 'GET' && request.url.startsWith('/v1/clients/')) {
        const start = now();
        response.once('finish', () => lines.push(`H ${start} ${now()}`));
      }
      return emit.apply(this, arguments);
    },
  );
}

if (service === 'accounts') {
  const { RpcServer } = require(path.join(dist, 'libs/messaging/src/rpc-server.js'));
  wrap(RpcServer.prototype, 'answer', (answer) => {
    // Its parameters are read by position: a change of them stops the service here, as a rename does.
    if (answer.length !== 4) throw new Error('bench/hop-timing.js: RpcServer.answer(pattern, handler, runOptions, msg) changed');
    return async function (pattern, handler, runOptions, msg) {
      const start = now();
      const respond = msg.respond.bind(msg);
      let sent = start;
      msg.respond = (...args) => {
        sent = now();
        return respond(...args);
      };
      await answer.call(this, pattern, handler, runOptions, msg);
      if (pattern.endsWith(SUBJECT)) lines.push(`A ${msg.headers?.get('X-Request-Id')} ${start} ${sent}`);
    };
  });
  // The pg that knex loads (the driver MikroORM's pool runs on).
  const { Client } = require(require.resolve('pg', { paths: [require.resolve('knex')] }));
  wrap(Client.prototype, 'query', (query) =>
    function (config) {
      const start = now();
      const result = query.apply(this, arguments);
      if (config?.name && typeof result?.then === 'function') result.then(() => lines.push(`Q ${start} ${now()}`), () => undefined);
      return result;
    },
  );
}

setInterval(() => {
  if (lines.length) appendFileSync(path.join(process.env.HOP_DIR, `${service}-${process.pid}.log`), `${lines.splice(0).join('\n')}\n`);
}, 1000).unref();
