import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail (ADR 0021): one row per change, written in the change's
 * transaction. Read newest first per account (and per actor), in keyset
 * pages; removed by age in batches by the retention sweep.
 */
export class Migration20261202110000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table accounts.audit_event (
      id uuid primary key,
      account_id uuid not null,
      occurred_at timestamptz not null,
      action text not null,
      actor_type text not null check (actor_type in ('user', 'api-key', 'operator', 'system')),
      actor_id uuid null,
      actor_email text null,
      target_type text not null,
      target_id uuid not null,
      target_name text null,
      changes jsonb not null default '{}',
      ip text null,
      user_agent text null check (length(user_agent) <= 512),
      request_id text null
    )`);
    this.addSql(`create index audit_event_account_idx on accounts.audit_event (account_id, occurred_at desc, id desc)`);
    this.addSql(`create index audit_event_actor_idx on accounts.audit_event (actor_id, occurred_at desc, id desc) where actor_id is not null`);
    this.addSql(`create index audit_event_occurred_idx on accounts.audit_event (occurred_at, id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table accounts.audit_event`);
  }
}
