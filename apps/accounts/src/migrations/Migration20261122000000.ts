import { Migration } from '@mikro-orm/migrations';

/** Accounts, the channel, owners and their invitations, plans and licences, the outbox. */
export class Migration20261122000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists accounts`);
    this.addSql(`
      create table accounts.account (
        id uuid primary key,
        type text not null check (type in ('group', 'distributor', 'reseller', 'customer')),
        account_name text not null,
        company_name text not null,
        unique_identifier text,
        billing_emails jsonb not null default '[]',
        status text not null check (status in ('active', 'inactive')),
        address jsonb not null,
        phone text,
        language text not null,
        currency char(3) not null,
        emergency_contact_email text,
        settings jsonb not null,
        credit_balance numeric(15, 2) not null default 0,
        admin_notes text,
        is_partner boolean not null default false,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null default 1
      )`);
    this.addSql(`create unique index account_partner_name_uq on accounts.account (lower(account_name)) where is_partner`);
    this.addSql(`create index account_partner_created_idx on accounts.account (created_at, id) where is_partner`);

    this.addSql(`
      create table accounts.relationship (
        id uuid primary key,
        parent_id uuid not null references accounts.account (id) deferrable initially deferred,
        client_id uuid not null references accounts.account (id) deferrable initially deferred,
        status text not null check (status in ('active', 'ended')),
        account_name text not null,
        company_name text not null,
        unique_identifier text,
        client_status text not null,
        client_type text not null,
        client_created_at timestamptz not null,
        created_at timestamptz not null,
        ended_at timestamptz
      )`);
    this.addSql(`create unique index relationship_active_uq on accounts.relationship (parent_id, client_id) where status = 'active'`);
    this.addSql(`create unique index relationship_account_name_uq on accounts.relationship (parent_id, lower(account_name)) where status = 'active'`);
    this.addSql(`create unique index relationship_unique_identifier_uq on accounts.relationship (parent_id, lower(unique_identifier)) where status = 'active' and unique_identifier is not null`);
    this.addSql(`create index relationship_client_idx on accounts.relationship (client_id) where status = 'active'`);
    // One index per sort key, each ending in the tie-breaker, so every keyset page is a range scan.
    this.addSql(`create index relationship_by_created_idx on accounts.relationship (parent_id, client_created_at, client_id) where status = 'active'`);
    this.addSql(`create index relationship_by_account_name_idx on accounts.relationship (parent_id, lower(account_name), client_id) where status = 'active'`);
    this.addSql(`create index relationship_by_company_name_idx on accounts.relationship (parent_id, lower(company_name), client_id) where status = 'active'`);
    this.addSql(`create index relationship_by_status_idx on accounts.relationship (parent_id, client_status, client_id) where status = 'active'`);

    this.addSql(`
      create table accounts."user" (
        id uuid primary key,
        account_id uuid not null references accounts.account (id) deferrable initially deferred,
        email text not null,
        first_name text not null,
        last_name text not null,
        role text not null check (role = 'admin'),
        is_owner boolean not null,
        status text not null check (status in ('invited', 'active', 'removed')),
        password_hash text,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null default 1
      )`);
    this.addSql(`create unique index user_email_uq on accounts."user" (lower(email)) where status <> 'removed'`);
    this.addSql(`create index user_account_idx on accounts."user" (account_id)`);

    this.addSql(`
      create table accounts.invitation (
        id uuid primary key,
        user_id uuid not null references accounts."user" (id) deferrable initially deferred,
        account_id uuid not null references accounts.account (id) deferrable initially deferred,
        status text not null check (status in ('scheduled', 'sent', 'accepted', 'expired', 'revoked')),
        send_mode text not null check (send_mode in ('now', 'scheduled', 'none')),
        token_hash text,
        send_at timestamptz,
        sent_at timestamptz,
        expires_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null default 1
      )`);
    this.addSql(`create index invitation_user_idx on accounts.invitation (user_id)`);
    this.addSql(`create unique index invitation_token_uq on accounts.invitation (token_hash) where token_hash is not null`);

    this.addSql(`
      create table accounts.relationship_request (
        id uuid primary key,
        from_account_id uuid not null references accounts.account (id) deferrable initially deferred,
        email text not null,
        message text,
        status text not null check (status in ('pending', 'accepted', 'declined', 'cancelled')),
        token_hash text unique,
        expires_at timestamptz not null,
        sent_at timestamptz,
        decided_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null default 1
      )`);
    this.addSql(`create index relationship_request_from_idx on accounts.relationship_request (from_account_id, created_at, id)`);

    this.addSql(`
      create table accounts.password_reset (
        id uuid primary key,
        user_id uuid not null references accounts."user" (id) deferrable initially deferred,
        purpose text not null check (purpose in ('reset', 'setup')),
        token_hash text not null unique,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null
      )`);
    this.addSql(`create index password_reset_user_idx on accounts.password_reset (user_id) where used_at is null`);

    this.addSql(`
      create table accounts.service_plan (
        id uuid primary key,
        account_id uuid not null references accounts.account (id) deferrable initially deferred,
        name text not null,
        product text not null,
        unit_type text not null,
        active boolean not null default true,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null default 1
      )`);
    this.addSql(`create unique index service_plan_name_uq on accounts.service_plan (account_id, lower(name))`);
    this.addSql(`create index service_plan_list_idx on accounts.service_plan (account_id, created_at, id)`);

    this.addSql(`
      create table accounts.license (
        id uuid primary key,
        account_id uuid not null references accounts.account (id) deferrable initially deferred,
        plan_id uuid not null references accounts.service_plan (id) deferrable initially deferred,
        units integer not null check (units >= 1),
        start_date date not null,
        status text not null check (status in ('active', 'ended')),
        ended_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null default 1
      )`);
    this.addSql(`create index license_account_idx on accounts.license (account_id, created_at, id)`);

    this.addSql(`
      create table accounts.outbox (
        seq bigint generated always as identity primary key,
        event_id uuid not null unique,
        aggregate_id uuid not null,
        subject text not null,
        event jsonb not null,
        request_id text,
        created_at timestamptz not null,
        sent_at timestamptz
      )`);
    this.addSql(`
      create table accounts.idempotency_key (
        scope text not null,
        key text not null,
        fingerprint text not null,
        status text not null check (status in ('in_progress', 'done')),
        reply json, -- json, not jsonb: a replay gives back the same body, key order included
        created_at timestamptz not null default now(),
        locked_until timestamptz not null,
        primary key (scope, key)
      )`);
    this.addSql(`create index idempotency_key_created_idx on accounts.idempotency_key (created_at)`);
    this.addSql(`create index outbox_unsent_idx on accounts.outbox (seq) where sent_at is null`);
    this.addSql(`create index outbox_sent_at_idx on accounts.outbox (sent_at) where sent_at is not null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists accounts cascade`);
  }
}
