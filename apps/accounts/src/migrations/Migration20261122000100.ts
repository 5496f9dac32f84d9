import { Migration } from '@mikro-orm/migrations';

/** API keys: found by their prefix, proved by the SHA-256 of the whole key. */
export class Migration20261122000100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table accounts.api_key (
        id uuid primary key,
        account_id uuid not null references accounts.account (id) deferrable initially deferred,
        name text not null,
        prefix text not null unique,
        key_hash text not null,
        created_by uuid,
        created_at timestamptz not null,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    this.addSql(`create index api_key_list_idx on accounts.api_key (account_id, created_at, id) where revoked_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists accounts.api_key`);
  }
}
