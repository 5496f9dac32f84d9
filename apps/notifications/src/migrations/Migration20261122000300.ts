import { Migration } from '@mikro-orm/migrations';

/**
 * Closing an invitation finds its open deadlines by invitation (expiry,
 * revocation, resend) or by client (activation); without these indexes each
 * event scanned the whole deadline table.
 */
export class Migration20261122000300 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index deadline_invitation_open_idx on notifications.deadline (invitation_id) where done_at is null`);
    this.addSql(`create index deadline_client_open_idx on notifications.deadline (client_id) where done_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists notifications.deadline_client_open_idx`);
    this.addSql(`drop index if exists notifications.deadline_invitation_open_idx`);
  }
}
