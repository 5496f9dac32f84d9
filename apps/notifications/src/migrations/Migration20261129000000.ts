import { Migration } from '@mikro-orm/migrations';

/**
 * Which sender holds an e-mail being sent: it alone renews the claim and
 * records the outcome, and a claim taken over from a sender that stopped
 * renewing is counted as a possible duplicate.
 */
export class Migration20261129000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table notifications.email add column claimed_by text`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table notifications.email drop column claimed_by`);
  }
}
