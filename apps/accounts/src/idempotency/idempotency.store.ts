import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { RpcReply } from '@clientele/contracts';

/** How long a key is remembered (Stripe's 24 hours). */
const RETENTION = '24 hours';
/** A claim older than this was left by a process that died mid-request: it may be taken over. */
const CLAIM_SECONDS = 60;

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; reply: RpcReply<unknown> }
  | { kind: 'in-progress' }
  | { kind: 'reused' };

/**
 * Remembered answers to POSTs that carried an Idempotency-Key, per caller.
 * Its own short transactions, apart from the command's: a claim is taken
 * before the command runs and the answer stored after it.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly orm: MikroORM) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), 10 * 60_000);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    const em = this.orm.em.fork();
    const taken = await em.execute<{ fingerprint: string }[]>(
      `insert into accounts.idempotency_key (scope, key, fingerprint, status, locked_until)
       values (?, ?, ?, 'in_progress', now() + make_interval(secs => ${CLAIM_SECONDS}))
       on conflict (scope, key) do update
         set fingerprint = excluded.fingerprint, status = 'in_progress', reply = null, created_at = now(), locked_until = excluded.locked_until
         where accounts.idempotency_key.created_at < now() - interval '${RETENTION}'
            or (accounts.idempotency_key.status = 'in_progress' and accounts.idempotency_key.locked_until < now()
                and accounts.idempotency_key.fingerprint = excluded.fingerprint)
       returning fingerprint`,
      [scope, key, fingerprint],
    );
    if (taken.length) return { kind: 'claimed' };
    const [existing] = await em.execute<{ fingerprint: string; status: string; reply: RpcReply<unknown> | null }[]>(
      `select fingerprint, status, reply from accounts.idempotency_key where scope = ? and key = ?`,
      [scope, key],
    );
    if (!existing) return this.claim(scope, key, fingerprint); // swept in between
    if (existing.fingerprint !== fingerprint) return { kind: 'reused' };
    if (existing.status !== 'done' || !existing.reply) return { kind: 'in-progress' };
    return { kind: 'replay', reply: existing.reply };
  }

  async complete(scope: string, key: string, reply: RpcReply<unknown>): Promise<void> {
    await this.orm.em
      .fork()
      .execute(`update accounts.idempotency_key set status = 'done', reply = ? where scope = ? and key = ?`, [
        JSON.stringify(reply),
        scope,
        key,
      ]);
  }

  /** The command failed unexpectedly: let the client retry with the same key. */
  async release(scope: string, key: string): Promise<void> {
    await this.orm.em.fork().execute(`delete from accounts.idempotency_key where scope = ? and key = ? and status = 'in_progress'`, [scope, key]);
  }

  async sweep(): Promise<void> {
    await this.orm.em.fork().execute(`delete from accounts.idempotency_key where created_at < now() - interval '${RETENTION}'`);
  }
}
