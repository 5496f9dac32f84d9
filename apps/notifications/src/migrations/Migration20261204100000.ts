import { Migration } from '@mikro-orm/migrations';

/**
 * The e-mail queue indexed by status, then due time: a claim reads the queued
 * e-mails that are due (one range, in order) and, apart, the e-mails being
 * sent (only those in some sender's hands), where one index on the due time
 * alone made it read every queued e-mail, due or scheduled for later, on
 * every claim (ADR 0015).
 */
export class Migration20261204100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index email_claim_idx on notifications.email (status, send_at) where status in ('queued', 'sending')`);
    this.addSql(`drop index notifications.email_due_idx`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index email_due_idx on notifications.email (send_at) where status in ('queued', 'sending')`);
    this.addSql(`drop index notifications.email_claim_idx`);
  }
}
