import { Entity, Property } from '@mikro-orm/core';
import type { OwnerStatus } from '@clientele/contracts';
import { newId } from './ids';
import { VersionedAggregate } from './versioned-aggregate';
import { newEntity } from './new-entity';

/** A person who signs in for an account. The owner is the account's first admin. */
@Entity({ tableName: 'user' })
export class User extends VersionedAggregate {
  @Property({ type: 'uuid' })
  accountId!: string;

  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text' })
  firstName!: string;

  @Property({ type: 'text' })
  lastName!: string;

  @Property({ type: 'text' })
  role!: 'admin';

  @Property({ type: 'boolean' })
  isOwner!: boolean;

  @Property({ type: 'text' })
  status!: OwnerStatus;

  /** argon2id, PHC string; null until the user sets a password. */
  @Property({ type: 'text', nullable: true, hidden: true })
  passwordHash!: string | null;

  /** An account's owner: an admin, active at once with a password hash, otherwise invited. */
  static openOwner(accountId: string, props: { email: string; firstName: string; lastName: string; passwordHash: string | null }, now: Date): User {
    return newEntity(User, {
      id: newId(),
      accountId,
      email: props.email.trim(),
      firstName: props.firstName.trim(),
      lastName: props.lastName.trim(),
      role: 'admin',
      isOwner: true,
      status: props.passwordHash ? 'active' : 'invited',
      passwordHash: props.passwordHash,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
  }
}
