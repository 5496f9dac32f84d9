import { Migration } from '@mikro-orm/migrations';

/** E-mails with their delivery log, and the deadlines the sweep acts on. */
export class Migration20261122000200 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table notifications.email (
        id uuid primary key,
        kind text not null check (kind in ('invitation', 'reminder', 'password-reset', 'password-setup', 'relationship-request')),
        client_id uuid,
        invitation_id uuid,
        user_id uuid,
        request_id uuid,
        recipient text,
        locale text,
        subject text,
        status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'cancelled')),
        attempts integer not null default 0,
        last_error text,
        provider_id text,
        send_at timestamptz not null,
        claimed_until timestamptz,
        sent_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`);
    this.addSql(`create index email_due_idx on notifications.email (send_at) where status in ('queued', 'sending')`);
    this.addSql(`create index email_client_idx on notifications.email (client_id, created_at)`);
    this.addSql(`create index email_invitation_idx on notifications.email (invitation_id) where status = 'queued'`);
    this.addSql(`
      create table notifications.deadline (
        id uuid primary key,
        kind text not null check (kind in ('invitation-expiry', 'invitation-reminder')),
        invitation_id uuid not null,
        client_id uuid not null,
        due_at timestamptz not null,
        claimed_until timestamptz,
        done_at timestamptz,
        created_at timestamptz not null,
        unique (kind, invitation_id)
      )`);
    this.addSql(`create index deadline_due_idx on notifications.deadline (due_at) where done_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists notifications.deadline`);
    this.addSql(`drop table if exists notifications.email`);
  }
}
