import { Migration } from '@mikro-orm/migrations';

/**
 * A client's active relationships indexed by client, then creation: who
 * invited a client (the parent of its first relationship, named in every
 * invitation e-mail and its preview) is then the first entry of one range.
 * With the client alone in the index, PostgreSQL planning on statistics not
 * yet gathered (a new database, a table grown fast) could take a list index
 * that has the client only as its last column and read it whole for each
 * invitation minted (ADR 0015). Also serves every lookup by client the old
 * index served (the channel's ancestors, the owner status kept on the row).
 */
export class Migration20261204100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index relationship_client_created_idx on accounts.relationship (client_id, created_at) where status = 'active'`);
    this.addSql(`drop index accounts.relationship_client_idx`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index relationship_client_idx on accounts.relationship (client_id) where status = 'active'`);
    this.addSql(`drop index accounts.relationship_client_created_idx`);
  }
}
