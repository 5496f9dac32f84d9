import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { API_KEY_PATTERN, AccountsRpc, ErrorCodes, type ApiKeyPrincipal, type Caller } from '@clientele/contracts';
import { RpcError } from '@clientele/messaging';
import { PUBLIC_ROUTE, PublicRoute } from '@clientele/observability';
import { Bus } from '../bus/accounts.bus';
import { GatewayConfig } from '../config';
import { addressKey, callerLimit, tooMany } from '../limits/rate-limit.guard';
import { LocalRateCounter } from '../limits/local-rate-counter';
import type { Limit } from '../limits/rate-limiter';
import { Tokens } from './tokens';

const OPERATOR_ONLY = 'clientele:operator';

/** No credentials needed. */
export const Public = PublicRoute;
/** Only the installation's operator token. */
export const OperatorOnly = () => SetMetadata(OPERATOR_ONLY, true);

type AuthedRequest = FastifyRequest & { caller?: Caller };

/**
 * Every route needs a valid bearer token unless marked public. Visibility is
 * not decided here: the caller goes to the services with every request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Refused credentials count against the address's anonymous budget: guessing keys is limited too. */
  private readonly refusals: Limit;

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: Tokens,
    private readonly bus: Bus,
    private readonly counter: LocalRateCounter,
    config: GatewayConfig,
  ) {
    this.refusals = callerLimit(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      request.caller = { kind: 'anonymous' };
      return true;
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const caller = match ? await this.callerOf(match[1]) : null;
    if (!caller) {
      const verdict = this.counter.hit(this.refusals, addressKey(request.ip));
      if (!verdict.allowed) tooMany(context.switchToHttp().getResponse<FastifyReply>(), verdict);
      throw unauthorized(match ? 'The bearer token is not valid or has expired.' : 'Send Authorization: Bearer <token>.');
    }
    const operatorRoute = this.reflector.getAllAndOverride<boolean>(OPERATOR_ONLY, targets) ?? false;
    const allowed = operatorRoute ? caller.kind === 'operator' : caller.kind !== 'operator';
    // The operator token reaches only the operator routes, and account tokens never reach them.
    if (!allowed) throw unauthorized('This token cannot be used here.');
    request.caller = caller;
    return true;
  }

  /**
   * Access tokens and the operator token are checked here; API keys by
   * accounts on every use (so a revoked key stops at once), which sees only
   * the key's prefix and hash.
   */
  private async callerOf(token: string): Promise<Caller | null> {
    const apiKey = API_KEY_PATTERN.exec(token);
    if (!apiKey) return this.tokens.callerOf(token);
    const keyHash = createHash('sha256').update(token, 'utf8').digest('hex');
    try {
      const principal = await this.bus.request<ApiKeyPrincipal>(AccountsRpc.authenticateApiKey, { prefix: apiKey[1], keyHash }, { kind: 'anonymous' });
      return { kind: 'api-key', accountId: principal.accountId, keyId: principal.keyId, role: 'admin' };
    } catch (error) {
      if (error instanceof RpcError && error.status === 401) return null;
      throw error;
    }
  }
}

function unauthorized(message: string): RpcError {
  return new RpcError(ErrorCodes.unauthorized, 401, message);
}

/** The authenticated caller of this HTTP request. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Caller => ctx.switchToHttp().getRequest<AuthedRequest>().caller ?? { kind: 'anonymous' },
);
