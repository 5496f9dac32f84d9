import { Migration } from '@mikro-orm/migrations';

/**
 * Each account's client form (seed 003): the optional client fields its
 * clients must have and the defaults a new client gets. Accounts that never
 * set one ask for nothing.
 */
export class Migration20261202100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table accounts.account add column client_form jsonb not null default '{"required": [], "defaults": {}}'::jsonb`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table accounts.account drop column if exists client_form`);
  }
}
