import { Migration } from '@mikro-orm/migrations';

/**
 * Client imports (ADR 22): the job with who started it and
 * from where (each row's create runs again as that caller, in that audit
 * scope), its rows with their outcome, and the parts of a file too large for
 * one NATS message while they wait to be imported. A row's outcome is
 * written in the transaction of its create, so a create is never done twice.
 */
export class Migration20261202120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table accounts.client_import (
        id uuid primary key,
        account_id uuid not null references accounts.account (id) deferrable initially deferred,
        caller jsonb not null,
        actor jsonb not null,
        ip text,
        user_agent text,
        request_id text,
        status text not null check (status in ('queued', 'running', 'done')),
        total integer not null check (total between 1 and 1000),
        processed integer not null default 0,
        created integer not null default 0,
        failed integer not null default 0,
        claimed_by text,
        claimed_until timestamptz,
        created_at timestamptz not null,
        finished_at timestamptz
      )`);
    this.addSql(`create index client_import_account_idx on accounts.client_import (account_id, created_at, id)`);
    // What the workers look for: imports not done, oldest first.
    this.addSql(`create index client_import_open_idx on accounts.client_import (created_at, id) where status <> 'done'`);

    // Bodies as json, not jsonb: kept as sent (jsonb refuses some strings a client may send, such as \u0000).
    this.addSql(`
      create table accounts.client_import_row (
        import_id uuid not null references accounts.client_import (id) on delete cascade,
        row_no integer not null check (row_no >= 1),
        body json not null,
        status text not null default 'pending' check (status in ('pending', 'created', 'failed')),
        client_id uuid,
        code text,
        errors jsonb,
        processed_at timestamptz,
        primary key (import_id, row_no)
      )`);
    this.addSql(`create index client_import_row_pending_idx on accounts.client_import_row (import_id, row_no) where status = 'pending'`);

    this.addSql(`
      create table accounts.client_import_part (
        account_id uuid not null,
        upload text not null,
        part integer not null,
        rows json not null,
        created_at timestamptz not null,
        primary key (account_id, upload, part)
      )`);
    this.addSql(`create index client_import_part_created_idx on accounts.client_import_part (created_at)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table accounts.client_import_part`);
    this.addSql(`drop table accounts.client_import_row`);
    this.addSql(`drop table accounts.client_import`);
  }
}
