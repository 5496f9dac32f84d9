import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { RpcReply } from '@clientele/contracts';
import { UnitOfWork } from '../outbox/unit-of-work';

/** How long a key is remembered (Stripe's 24 hours). */
const RETENTION = '24 hours';

const LOCK_KEY = 'hashtextextended(?, 0)';
const lockName = (scope: string, key: string) => `idempotency\n${scope}\n${key}`;
const UPSERT = `insert into accounts.idempotency_key (scope, key, fingerprint, reply, created_at) values (?, ?, ?, ?, now())`;
const REPLACE = 'fingerprint = excluded.fingerprint, reply = excluded.reply, created_at = excluded.created_at';

export type Lookup =
  | { kind: 'new' }
  | { kind: 'replay'; reply: RpcReply<unknown> }
  | { kind: 'in-progress' }
  | { kind: 'reused' };

/**
 * Remembered answers to POSTs that carried an Idempotency-Key, per caller.
 *
 * Everything happens inside the transaction of the request it answers: the
 * key is held by a transaction-level advisory lock, which PostgreSQL frees
 * when that transaction ends — committed, rolled back, or its process gone —
 * and the answer is written in the same transaction as the change, so a key
 * never answers for a change that did not commit, nor misses one that did.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(IdempotencyStore.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly uow: UnitOfWork,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep().catch((error: Error) => this.log.warn(`sweeping old keys failed: ${error.message}`)), 10 * 60_000);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** Runs a keyed request and its key in one transaction; the changes it makes through the unit of work join it. */
  atomically<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.uow.transaction(work);
  }

  /** Inside the request's transaction: takes the key, or says why it cannot be taken. */
  async lookup(em: EntityManager, scope: string, key: string, fingerprint: string): Promise<Lookup> {
    const [{ locked }] = await em.execute<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(${LOCK_KEY}) as locked`, [lockName(scope, key)]);
    if (!locked) return { kind: 'in-progress' };
    // Read after the lock is ours: an answer committed by the previous holder is visible to this statement.
    const [existing] = await em.execute<{ fingerprint: string; reply: RpcReply<unknown> }[]>(
      `select fingerprint, reply from accounts.idempotency_key
        where scope = ? and key = ? and created_at > now() - interval '${RETENTION}'`,
      [scope, key],
    );
    if (!existing) return { kind: 'new' };
    if (existing.fingerprint !== fingerprint) return { kind: 'reused' };
    return { kind: 'replay', reply: existing.reply };
  }

  /** In the request's transaction, which holds the key: the answer commits with the change. */
  async save(em: EntityManager, scope: string, key: string, fingerprint: string, reply: RpcReply<unknown>): Promise<void> {
    await em.execute(`${UPSERT} on conflict (scope, key) do update set ${REPLACE}`, [scope, key, fingerprint, JSON.stringify(reply)]);
  }

  /**
   * A refusal rolled its transaction back, and with it the key: it is stored
   * in a transaction of its own that takes the key again (waiting for a retry
   * that may hold it), and only if no answer was stored meanwhile.
   */
  async saveRefusal(scope: string, key: string, fingerprint: string, reply: RpcReply<unknown>): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await em.execute(`select pg_advisory_xact_lock(${LOCK_KEY})`, [lockName(scope, key)]);
      await em.execute(
        `${UPSERT} on conflict (scope, key) do update set ${REPLACE}
          where accounts.idempotency_key.created_at < now() - interval '${RETENTION}'`,
        [scope, key, fingerprint, JSON.stringify(reply)],
      );
    });
  }

  async sweep(): Promise<void> {
    await this.orm.em.fork().execute(`delete from accounts.idempotency_key where created_at < now() - interval '${RETENTION}'`);
  }
}
