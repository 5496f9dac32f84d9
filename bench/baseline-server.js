// The baseline: the same client insert as the stack (account, relationship,
// owner, invitation and outbox rows in one transaction) from one process with
// Fastify and pg, with no NATS, no framework and no validation library.
const Fastify = require('fastify');
const { Pool } = require('pg');
const { v7 } = require('uuid');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

// The floor of the latency cases: an answer with no work behind it, through the same HTTP stack.
app.get('/ping', async () => ({ ok: true }));

app.post('/clients', async (request, reply) => {
  const body = request.body;
  if (!body || !body.accountName || !body.companyName || !body.owner || !body.address) {
    return reply.code(400).send({ error: 'invalid' });
  }
  const parentId = request.headers['x-parent-id'];
  const now = new Date();
  const id = v7();
  const userId = v7();
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into accounts.account (id, type, account_name, company_name, unique_identifier, billing_emails, status, address, phone,
         language, currency, emergency_contact_email, settings, credit_balance, admin_notes, is_partner, created_at, updated_at, version)
       values ($1, 'customer', $2, $3, null, '[]', 'active', $4, null, 'en', 'USD', null, '{}', 0, null, false, $5, $5, 1)`,
      [id, body.accountName, body.companyName, JSON.stringify(body.address), now],
    );
    await client.query(
      `insert into accounts.relationship (id, parent_id, client_id, status, account_name, company_name, unique_identifier,
         client_status, client_type, client_created_at, created_at, owner_status)
       values ($1, $2, $3, 'active', $4, $5, null, 'active', 'customer', $6, $6, 'invited')`,
      [v7(), parentId, id, body.accountName, body.companyName, now],
    );
    await client.query(
      `insert into accounts."user" (id, account_id, email, first_name, last_name, role, is_owner, status, password_hash, created_at, updated_at, version)
       values ($1, $2, $3, $4, $5, 'admin', true, 'invited', null, $6, $6, 1)`,
      [userId, id, body.owner.email, body.owner.firstName, body.owner.lastName, now],
    );
    await client.query(
      `insert into accounts.invitation (id, user_id, account_id, status, send_mode, token_hash, send_at, created_at, updated_at, version)
       values ($1, $2, $3, 'scheduled', 'now', null, $4, $4, $4, 1)`,
      [v7(), userId, id, now],
    );
    const eventId = v7();
    await client.query(
      // Marked sent: the same insert, but the stack's relay must not try to publish the baseline's rows.
      `insert into accounts.outbox (event_id, aggregate_id, subject, event, created_at, sent_at) values ($1, $2, 'baseline', $3, $4, $4)`,
      [eventId, id, JSON.stringify({ id: eventId, type: 'accounts.client.created', subject: id, data: body }), now],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
  return reply.code(201).send({ id, accountName: body.accountName, companyName: body.companyName, createdAt: now.toISOString() });
});

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(() => process.stdout.write('ready\n'));
process.on('SIGTERM', () => app.close().then(() => pool.end()).then(() => process.exit(0)));
