import { Injectable } from '@nestjs/common';
import { KeyObject, createHash, createSecretKey, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Caller, SignInReply, TokenResponse } from '@clientele/contracts';
import { GatewayConfig } from '../config';

interface AccessClaims {
  sub: string;
  acc: string;
  role: 'admin';
}

/** Access tokens (HS256 only, with exp, iss and aud) and the operator token. */
@Injectable()
export class Tokens {
  /** Built once: jsonwebtoken otherwise probes the string as a public key on every call. */
  private readonly key: KeyObject;

  constructor(private readonly config: GatewayConfig) {
    this.key = createSecretKey(Buffer.from(config.JWT_SECRET));
  }

  issue(principal: SignInReply): TokenResponse {
    const claims: AccessClaims = { sub: principal.userId, acc: principal.accountId, role: principal.role };
    const accessToken = jwt.sign(claims, this.key, {
      algorithm: 'HS256',
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
    });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.accessTokenTtlSeconds };
  }

  /** The caller a bearer token stands for, or null when it is not valid. */
  callerOf(token: string): Caller | null {
    if (this.isOperatorToken(token)) return { kind: 'operator' };
    try {
      const claims = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      }) as Partial<AccessClaims>;
      if (typeof claims.sub !== 'string' || typeof claims.acc !== 'string') return null;
      return { kind: 'user', userId: claims.sub, accountId: claims.acc, role: 'admin' };
    } catch {
      return null;
    }
  }

  private isOperatorToken(token: string): boolean {
    const expected = this.config.PLATFORM_ADMIN_TOKEN;
    if (!expected) return false;
    // Equal-length digests: constant time whatever the token's length.
    return timingSafeEqual(digest(token), digest(expected));
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();
