import { Migration } from '@mikro-orm/migrations';

/** The inbox of handled account events. */
export class Migration20261122000100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists notifications`);
    this.addSql(`
      create table notifications.handled_event (
        event_id uuid primary key,
        type text not null,
        subject uuid not null,
        occurred_at timestamptz not null,
        handled_at timestamptz not null
      )`);
    this.addSql(`create index handled_event_handled_at_idx on notifications.handled_event (handled_at)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists notifications cascade`);
  }
}
