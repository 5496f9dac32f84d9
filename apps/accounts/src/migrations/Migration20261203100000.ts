import { Migration } from '@mikro-orm/migrations';

/**
 * The owner's status on the relationship row, beside the other list keys it
 * copies from the client (ADR 6): a page of clients is then one index range
 * scan and one primary-key join, without a sub-query per row for the owner
 * (a third of PostgreSQL's time on a page of 100). The database keeps the
 * copy, so no path that changes an owner can forget it:
 * - a relationship inserted without it takes it from the client's owner
 *   (connecting an existing account); opening an account writes it with the
 *   owner in the same statement;
 * - a change of an owner's status (accepted, expired, invited again) is
 *   copied to every active relationship of that account in the same
 *   transaction (found by relationship_client_idx; an ended link is never
 *   listed, and a new link takes the status afresh).
 * Both read the owner as the list did: the account's first owner.
 */
export class Migration20261203100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table accounts.relationship add column owner_status text check (owner_status in ('invited', 'active', 'removed'))`);
    this.addSql(`
      create function accounts.owner_status_of(account uuid) returns text language sql stable as $$
        select u.status from accounts."user" u where u.account_id = account and u.is_owner order by u.created_at limit 1
      $$`);
    this.addSql(`update accounts.relationship r set owner_status = accounts.owner_status_of(r.client_id)`);
    this.addSql(`
      create function accounts.relationship_takes_owner_status() returns trigger language plpgsql as $$
      begin
        if new.owner_status is null then
          new.owner_status := accounts.owner_status_of(new.client_id);
        end if;
        return new;
      end $$`);
    this.addSql(`
      create trigger relationship_takes_owner_status before insert on accounts.relationship
        for each row execute function accounts.relationship_takes_owner_status()`);
    this.addSql(`
      create function accounts.owner_status_to_relationships() returns trigger language plpgsql as $$
      declare
        listed text := accounts.owner_status_of(new.account_id);
      begin
        update accounts.relationship r set owner_status = listed
         where r.client_id = new.account_id and r.status = 'active' and r.owner_status is distinct from listed;
        return null;
      end $$`);
    this.addSql(`
      create trigger owner_status_to_relationships after update of status on accounts."user"
        for each row when (new.is_owner and old.status is distinct from new.status)
        execute function accounts.owner_status_to_relationships()`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger owner_status_to_relationships on accounts."user"`);
    this.addSql(`drop function accounts.owner_status_to_relationships()`);
    this.addSql(`drop trigger relationship_takes_owner_status on accounts.relationship`);
    this.addSql(`drop function accounts.relationship_takes_owner_status()`);
    this.addSql(`alter table accounts.relationship drop column owner_status`);
    this.addSql(`drop function accounts.owner_status_of(uuid)`);
  }
}
