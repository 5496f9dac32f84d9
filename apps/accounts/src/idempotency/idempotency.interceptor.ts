import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, SetMetadata, UseInterceptors, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NatsContext } from '@nestjs/microservices';
import { createHash } from 'node:crypto';
import { Observable, from, lastValueFrom } from 'rxjs';
import { ErrorCodes, Headers } from '@clientele/contracts';
import { RpcError, expectedErrorBody } from '@clientele/messaging';
import { IdempotencyStore } from './idempotency.store';

const IDEMPOTENT = 'clientele:idempotent';
/**
 * Marks a command whose first answer is replayed for a repeated
 * Idempotency-Key. The interceptor runs on these handlers only: an
 * interceptor on every handler costs every request a pass through Nest's
 * interceptor chain.
 */
export const Idempotent = () => applyDecorators(SetMetadata(IDEMPOTENT, true), UseInterceptors(IdempotencyInterceptor));

/**
 * Stripe's semantics, scoped to the caller: the same key with the same request
 * replays the first answer (success or refusal); with another request, 422;
 * while the first is still running, 409. The request runs in one transaction
 * with its key: the answer commits with the change, or neither does, so a
 * retry after any failure gets the original answer or runs afresh.
 * Unexpected failures store nothing.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly log = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc' || !this.reflector.get<boolean>(IDEMPOTENT, context.getHandler())) return next.handle();
    const nats = context.switchToRpc().getContext<NatsContext>();
    const key = nats.getHeaders?.()?.get(Headers.idempotencyKey);
    if (!key) return next.handle();
    const caller = nats.getHeaders()?.get(Headers.caller) ?? 'anonymous';
    const scope = createHash('sha256').update(caller).digest('base64url');
    const fingerprint = createHash('sha256').update(nats.getSubject()).update('\n').update(canonicalJson(context.switchToRpc().getData())).digest('base64url');
    return from(this.run(scope, key, fingerprint, next));
  }

  private async run(scope: string, key: string, fingerprint: string, next: CallHandler): Promise<unknown> {
    let ran = false;
    try {
      return await this.store.atomically(async (em) => {
        const found = await this.store.lookup(em, scope, key, fingerprint);
        switch (found.kind) {
          case 'reused':
            throw new RpcError(ErrorCodes.idempotencyKeyReused, 422, 'This Idempotency-Key was used with a different request.');
          case 'in-progress':
            throw new RpcError(ErrorCodes.idempotencyKeyInUse, 409, 'A request with this Idempotency-Key is still being processed; retry shortly.');
          case 'replay':
            if (found.reply.ok) return found.reply.data;
            throw RpcError.from(found.reply.error);
          case 'new':
            break;
        }
        ran = true;
        const data = await lastValueFrom(next.handle(), { defaultValue: null });
        await this.store.save(em, scope, key, fingerprint, { ok: true, data });
        return data;
      });
    } catch (error) {
      const expected = ran ? expectedErrorBody(error) : undefined;
      if (expected && expected.status < 500) {
        const { code, status, message, details } = expected;
        // Not stored, a refusal is only answered again by running the request again: the same answer, or a better one.
        await this.store
          .saveRefusal(scope, key, fingerprint, { ok: false, error: { code, status, message, ...(details ? { details } : {}) } })
          .catch((failure: Error) => this.log.warn(`storing the refusal of an idempotent request failed: ${failure.message}`));
      }
      throw error;
    }
  }
}

/** JSON with object keys sorted: the same request written in another key order is the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
