import {
  ArgumentMetadata,
  ArgumentsHost,
  Catch,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  PipeTransform,
  RpcExceptionFilter,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { NatsContext } from '@nestjs/microservices';
import { Observable, throwError } from 'rxjs';
import { Headers, validateContract, type Caller } from '@clientele/contracts';
import { RpcError } from './rpc-error';

/**
 * Lets errors of NATS handlers reach the transport as thrown, so it can send
 * expected ones as `{ code, status, ... }` and log unexpected ones with an
 * error id (Nest's default turns every error into "Internal server error").
 * HTTP errors (the ops routes) keep Nest's default handling.
 */
@Catch()
export class PassThroughRpcFilter extends BaseExceptionFilter implements RpcExceptionFilter<unknown> {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (host.getType() === 'rpc') return throwError(() => exception);
    super.catch(exception, host);
    return undefined as never;
  }
}

/**
 * Validates a body, query or `@Payload()` against its contract class: at the
 * gateway for the caller's sake, and again inside the service for its own.
 */
@Injectable()
export class ContractValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const metatype = metadata.metatype;
    if ((metadata.type !== 'body' && metadata.type !== 'query') || !metatype || [Object, String, Number, Boolean, Array].includes(metatype as never)) {
      return value;
    }
    const { value: instance, errors } = validateContract(metatype as new () => object, value);
    if (errors.length) throw RpcError.validation(errors);
    return instance;
  }
}

/** The caller the gateway authenticated, from the `X-Caller` header. */
export const CallerParam = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller => {
  const nats = ctx.switchToRpc().getContext<NatsContext>();
  const raw = nats.getHeaders?.()?.get(Headers.caller);
  if (!raw) return { kind: 'anonymous' };
  try {
    return JSON.parse(raw) as Caller;
  } catch {
    return { kind: 'anonymous' };
  }
});
