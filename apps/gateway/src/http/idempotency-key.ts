import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RpcError } from '@clientele/messaging';

/**
 * The `Idempotency-Key` of a POST (any string up to 255 characters). The
 * service that owns the change remembers it for 24 hours, scoped to the caller.
 */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || /[\r\n]/.test(value)) {
    throw RpcError.validation([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 characters on one line' }]);
  }
  return value;
});

export const ApiIdempotencyKey = () =>
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays the first answer for 24 h when sent again with the same body' });
