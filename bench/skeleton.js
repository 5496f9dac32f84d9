// The floor of the read path's latency: the same hops as GET /v1/clients/{id}
// (HTTP → NATS request/reply → one prepared PostgreSQL query → back) between
// two bare processes, with no framework, validation, auth, logs or metrics.
//   ROLE=front: Fastify answering GET /clients/:id with the responder's reply.
//   ROLE=responder: subscribed on NATS, reads the account with a prepared statement.
// Env: ROLE, NATS_URL, SUBJECT, and DATABASE_URL (responder) or PORT (front).
const { connect } = require('nats');

const subject = process.env.SUBJECT;

async function front() {
  const Fastify = require('fastify');
  const nc = await connect({ servers: process.env.NATS_URL });
  const app = Fastify({ logger: false });
  app.get('/clients/:id', async (request, reply) => {
    const answer = await nc.request(subject, request.params.id, { timeout: 5_000 });
    if (!answer.data.length) return reply.code(404).send();
    return reply.type('application/json').send(Buffer.from(answer.data));
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.on('SIGTERM', () => app.close().then(() => nc.close()).then(() => process.exit(0)));
}

async function responder() {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const nc = await connect({ servers: process.env.NATS_URL });
  const text = new TextDecoder();
  nc.subscribe(subject, {
    queue: 'skeleton',
    callback: (_error, msg) => {
      pool
        .query({ name: 'skeleton-read', text: 'select * from accounts.account where id = $1', values: [text.decode(msg.data)] })
        .then((result) => msg.respond(result.rows.length ? JSON.stringify(result.rows[0]) : new Uint8Array()))
        .catch(() => msg.respond(new Uint8Array()));
    },
  });
  await nc.flush();
  process.on('SIGTERM', () => nc.drain().then(() => pool.end()).then(() => process.exit(0)));
}

(process.env.ROLE === 'front' ? front() : responder()).then(() => process.stdout.write('ready\n'));
