import { Injectable } from '@nestjs/common';
import { KeyObject, createHash, createSecretKey, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Caller, SignInReply, TokenResponse } from '@clientele/contracts';
import { GatewayConfig } from '../config';

interface AccessClaims {
  sub: string;
  acc: string;
  role: 'admin';
  /** The user's e-mail: the audit trail names the user by it (ADR 0021). */
  email: string;
}

/** Tokens verified lately, so a client's every request does not verify its token again. */
const VERIFIED_CACHE_SIZE = 10_000;

/** Access tokens (HS256 only, with exp, iss and aud) and the operator token. */
@Injectable()
export class Tokens {
  /** Built once: jsonwebtoken otherwise probes the string as a public key on every call. */
  private readonly key: KeyObject;
  /** Token → its caller and expiry (ms). Insertion-ordered: the oldest goes first when it is full. */
  private readonly verified = new Map<string, { caller: Caller; expiresAt: number }>();
  /** The operator token's digest, compared with each bearer's; none when operator routes are off. */
  private readonly operatorDigest?: Buffer;

  constructor(private readonly config: GatewayConfig) {
    this.key = createSecretKey(Buffer.from(config.JWT_SECRET));
    if (config.PLATFORM_ADMIN_TOKEN) this.operatorDigest = digest(config.PLATFORM_ADMIN_TOKEN);
  }

  issue(principal: SignInReply): TokenResponse {
    const claims: AccessClaims = { sub: principal.userId, acc: principal.accountId, role: principal.role, email: principal.email };
    const accessToken = jwt.sign(claims, this.key, {
      algorithm: 'HS256',
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
    });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.accessTokenTtlSeconds };
  }

  /**
   * The caller a bearer token stands for, or null when it is not valid. A
   * token verified before is taken from the cache until its expiry: the
   * signature of the same string cannot have changed, and the expiry is still
   * checked on every use.
   */
  callerOf(token: string): Caller | null {
    // A token in the cache passed `jwt.verify`, which only a token that is not the operator's reaches: the
    // operator's digest (a SHA-256 per request) is compared only for tokens not verified lately.
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > Date.now()) return known.caller;
      this.verified.delete(token);
    }
    if (this.isOperatorToken(token)) return { kind: 'operator' };
    try {
      const claims = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      }) as Partial<AccessClaims> & { exp?: number };
      if (typeof claims.sub !== 'string' || typeof claims.acc !== 'string' || typeof claims.exp !== 'number') return null;
      const caller: Caller = { kind: 'user', userId: claims.sub, accountId: claims.acc, role: 'admin' };
      if (typeof claims.email === 'string') caller.email = claims.email;
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { caller, expiresAt: claims.exp * 1000 });
      return caller;
    } catch {
      return null;
    }
  }

  private isOperatorToken(token: string): boolean {
    if (!this.operatorDigest) return false;
    // Equal-length digests: constant time whatever the token's length.
    return timingSafeEqual(digest(token), this.operatorDigest);
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();
