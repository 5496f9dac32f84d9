import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, ValidateIf, MinLength } from 'class-validator';
import { CommonConfig, IsDuration, parseDuration } from '@clientele/config';

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

  get accessTokenTtlSeconds(): number {
    return Math.floor(parseDuration(this.ACCESS_TOKEN_TTL)! / 1000);
  }

  get publicUrl(): string {
    return (this.PUBLIC_URL || `http://localhost:${this.PORT}`).replace(/\/$/, '');
  }
}
