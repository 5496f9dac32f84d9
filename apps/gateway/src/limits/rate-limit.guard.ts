import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isIPv6 } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, type Caller } from '@clientele/contracts';
import { RpcError } from '@clientele/messaging';
import { GatewayConfig } from '../config';
import { LocalRateCounter } from './local-rate-counter';
import { RateLimiter, type Limit, type Verdict } from './rate-limiter';

const CREDENTIAL_ROUTE = 'clientele:credential-route';
const OPS_PATHS = /^\/(health|metrics)(\/|\?|$)/;

type Request = FastifyRequest & { caller?: Caller };

/**
 * A route that takes credentials or a link token (sign-in, resets,
 * acceptances): limited per client address and per the value `subjectOf`
 * picks (an e-mail, a token), on top of the limit every caller has.
 */
export const CredentialRoute = (subjectOf: (request: Request) => unknown) => SetMetadata(CREDENTIAL_ROUTE, subjectOf);

/** Reads a field of the JSON body or a path parameter, for `CredentialRoute`. */
export const fromBody = (field: string) => (request: Request) => (request.body as Record<string, unknown> | undefined)?.[field];
export const fromPath = (param: string) => (request: Request) => (request.params as Record<string, unknown> | undefined)?.[param];

/** Runs after authentication: limits are counted per authenticated caller where there is one. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly perCaller: Limit;
  private readonly auth: Limit;
  private readonly authPerIp: Limit;

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    private readonly counter: LocalRateCounter,
    config: GatewayConfig,
  ) {
    const { auth, authPerIp } = config.rateLimits;
    this.perCaller = callerLimit(config);
    this.auth = { name: 'auth', ...auth };
    this.authPerIp = { name: 'auth-ip', ...authPerIp };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    // Probes and scrapes are the platform's, and must answer even when NATS does not.
    if (OPS_PATHS.test(request.url)) return true;
    // The general limit is counted here and shared in the background: no round trip on every request.
    const general = this.counter.hit(this.perCaller, callerKey(request));
    if (!general.allowed) tooMany(context.switchToHttp().getResponse<FastifyReply>(), general);
    const subjectOf = this.reflector.get<((r: Request) => unknown) | undefined>(CREDENTIAL_ROUTE, context.getHandler());
    if (!subjectOf) return true;
    // Credentials are guessed slowly and over long windows: those counts are exact, in the shared bucket.
    const checks: Promise<Verdict>[] = [this.limiter.hit([this.authPerIp], addressKey(request.ip))];
    const subject = subjectOf(request);
    if (typeof subject === 'string' && subject) checks.push(this.limiter.hit([this.auth], subject.trim().toLowerCase()));
    const refused = (await Promise.all(checks)).find((v) => !v.allowed);
    if (refused) tooMany(context.switchToHttp().getResponse<FastifyReply>(), refused);
    return true;
  }
}

/** The general limit; refused credentials count against the same numbers (per address). */
export function callerLimit(config: GatewayConfig): Limit {
  return { name: 'caller', ...config.rateLimits.perCaller };
}

/** 429 with Retry-After. */
export function tooMany(reply: FastifyReply, verdict: Verdict): never {
  void reply.header('Retry-After', String(verdict.retryAfterSeconds));
  throw new RpcError(ErrorCodes.rateLimited, 429, `Too many requests; try again in ${verdict.retryAfterSeconds} s.`);
}

/**
 * The counted form of a client address: IPv4 as it is, IPv6 by its /64 (one
 * subscriber's network), so rotating addresses inside it buys nothing.
 */
export function addressKey(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4 || !isIPv6(ip)) return `ip:${v4?.[1] ?? ip}`;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `ip6:${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function callerKey(request: Request): string {
  const caller = request.caller;
  switch (caller?.kind) {
    case 'user':
      return `user:${caller.userId}`;
    case 'api-key':
      return `key:${caller.keyId}`;
    case 'operator':
      return 'operator';
    default:
      return addressKey(request.ip);
  }
}
