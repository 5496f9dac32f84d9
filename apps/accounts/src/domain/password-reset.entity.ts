import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { ResetLinkExpiredError, ResetLinkUsedError } from './domain-error';
import { newId } from './ids';
import { newSecretToken } from './secret-token';

/** A one-hour, single-use link to set a password (a reset, or the first one after creation). */
@Entity({ tableName: 'password_reset' })
export class PasswordReset {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text' })
  purpose!: 'reset' | 'setup';

  @Property({ type: 'text', hidden: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  static issue(userId: string, purpose: 'reset' | 'setup', now: Date, ttlMs: number): { reset: PasswordReset; token: string } {
    const { token, hash } = newSecretToken();
    const reset = Object.assign(new PasswordReset(), {
      id: newId(), userId, purpose, tokenHash: hash, expiresAt: new Date(now.getTime() + ttlMs), usedAt: null, createdAt: now,
    });
    return { reset, token };
  }

  use(now: Date): void {
    if (this.usedAt) throw new ResetLinkUsedError();
    if (this.expiresAt <= now) throw new ResetLinkExpiredError();
    this.usedAt = now;
  }
}
