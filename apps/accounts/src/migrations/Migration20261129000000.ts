import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency keys are stored with the change they answer, in its
 * transaction (ADR 0009): a row is always a finished answer, and a request in
 * flight is a transaction-level advisory lock, freed by PostgreSQL the moment
 * its holder's connection ends. No status, no lease.
 */
export class Migration20261129000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`delete from accounts.idempotency_key where status <> 'done' or reply is null`);
    this.addSql(`alter table accounts.idempotency_key drop column status, drop column locked_until, alter column reply set not null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table accounts.idempotency_key alter column reply drop not null,
      add column status text not null default 'done' check (status in ('in_progress', 'done')),
      add column locked_until timestamptz not null default now()`);
  }
}
