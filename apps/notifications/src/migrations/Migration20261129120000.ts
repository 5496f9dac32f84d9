import { Migration } from '@mikro-orm/migrations';

/**
 * The W3C `traceparent` of the event that queued an e-mail, so the sender's
 * span around the SMTP send continues that trace though it runs later
 * (ADR 0018). Null when the event carried none (and for e-mails queued by the
 * sweeps).
 */
export class Migration20261129120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table notifications.email add column traceparent text`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table notifications.email drop column traceparent`);
  }
}
