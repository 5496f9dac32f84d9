import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, ValidateIf, MinLength } from 'class-validator';
import { CommonConfig, IsDuration, parseDuration } from '@clientele/config';

const RATE = /^(0|[1-9]\d*\/\d+(ms|s|m|h|d))$/;
const RATE_MESSAGE = 'must be max/window such as 10/15m, or 0 to turn the limit off';

export interface RateSetting {
  max: number;
  windowMs: number;
}

function parseRate(text: string): RateSetting {
  if (text === '0') return { max: 0, windowMs: 60_000 };
  const [max, window] = text.split('/');
  return { max: Number(max), windowMs: parseDuration(window)! };
}

export class GatewayConfig extends CommonConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** Base of links in e-mails and of the HTML pages; defaults to http://localhost:$PORT. */
  @ValidateIf((c: GatewayConfig) => c.PUBLIC_URL !== '')
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL = '';

  /** Operator bearer token; empty turns the operator routes off. */
  @ValidateIf((c: GatewayConfig) => c.PLATFORM_ADMIN_TOKEN !== '')
  @MinLength(24, { message: 'must be at least 24 characters' })
  PLATFORM_ADMIN_TOKEN = '';

  /** HMAC key for access tokens: required (32+ bytes) outside development. */
  @ValidateIf((c: GatewayConfig) => c.NODE_ENV !== 'development' || c.JWT_SECRET !== '')
  @IsString()
  @MinLength(32, { message: 'must be set, at least 32 bytes (generate one with: openssl rand -base64 48)' })
  JWT_SECRET = '';

  @IsDuration()
  ACCESS_TOKEN_TTL = '15m';

  @IsString()
  JWT_ISSUER = 'clientele';

  @IsString()
  JWT_AUDIENCE = 'clientele-api';

  /** Sign-in, password resets, invitation and relationship acceptance: per e-mail or link token. `max/window`, 0 turns it off. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_AUTH = '10/15m';

  /** The same endpoints, per client address. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_AUTH_PER_IP = '100/15m';

  /** Every request, per signed-in user, API key, or client address when anonymous. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_PER_CALLER = '1200/1m';

  /**
   * Which proxies may say who the client is (X-Forwarded-For): empty trusts
   * none, `true` any, a number that many hops, or a comma-separated list of
   * addresses/CIDRs. Per-address limits depend on it.
   */
  @Matches(/^(|true|false|\d+|[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*)$/, { message: 'must be empty, true, a hop count, or addresses/CIDRs separated by commas' })
  TRUST_PROXY = '';

  /** Browser origins allowed to call the API (comma-separated, exact); empty sends no CORS headers. */
  @Matches(/^(|https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)$/, { message: 'must be empty or http(s) origins separated by commas' })
  CORS_ORIGINS = '';

  get rateLimits(): { auth: RateSetting; authPerIp: RateSetting; perCaller: RateSetting } {
    return { auth: parseRate(this.RATE_LIMIT_AUTH), authPerIp: parseRate(this.RATE_LIMIT_AUTH_PER_IP), perCaller: parseRate(this.RATE_LIMIT_PER_CALLER) };
  }

  /**
   * Fastify's `trustProxy`. A hop count is given as a function: Fastify (since
   * 5.12) reads a bare number as trusting no hop at all, and this setting
   * promises the nearest `n` hops (the first of them the connection's peer).
   */
  get trustProxy(): boolean | string[] | ((address: string, hop: number) => boolean) {
    const value = this.TRUST_PROXY.trim();
    if (value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      return (_address, hop) => hop < hops;
    }
    return value.split(',').map((part) => part.trim());
  }

  get corsOrigins(): string[] {
    return this.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  }

  get accessTokenTtlSeconds(): number {
    return Math.floor(parseDuration(this.ACCESS_TOKEN_TTL)! / 1000);
  }

  get publicUrl(): string {
    return (this.PUBLIC_URL || `http://localhost:${this.PORT}`).replace(/\/$/, '');
  }
}
