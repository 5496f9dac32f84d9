import jwt from 'jsonwebtoken';
import { loadConfig } from '@clientele/config';
import { GatewayConfig } from '../config';
import { Tokens } from './tokens';

const JWT_SECRET = 'k'.repeat(48);
const OPERATOR_TOKEN = 'op-'.padEnd(32, 'x');
const USER_ID = '0190a5d2-7c1e-7b3a-9f00-000000000001';
const ACCOUNT_ID = '0190a5d2-7c1e-7b3a-9f00-000000000002';

const config = loadConfig(GatewayConfig, { JWT_SECRET, PLATFORM_ADMIN_TOKEN: OPERATOR_TOKEN });
const tokens = new Tokens(config);

const claims = { sub: USER_ID, acc: ACCOUNT_ID, role: 'admin' };
const validOptions: jwt.SignOptions = { algorithm: 'HS256', expiresIn: 60, issuer: 'clientele', audience: 'clientele-api' };
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('Tokens', () => {
  describe('issue() and callerOf()', () => {
    it('round-trips: an issued token stands for its user (with the e-mail the audit trail names) and account', () => {
      const issued = tokens.issue({ userId: USER_ID, accountId: ACCOUNT_ID, role: 'admin', email: 'ana@example.com' });

      expect(tokens.callerOf(issued.accessToken)).toEqual({ kind: 'user', userId: USER_ID, accountId: ACCOUNT_ID, role: 'admin', email: 'ana@example.com' });
    });

    it('issues a Bearer token that expires after ACCESS_TOKEN_TTL (15 minutes by default)', () => {
      const issued = tokens.issue({ userId: USER_ID, accountId: ACCOUNT_ID, role: 'admin', email: 'ana@example.com' });

      expect(issued.tokenType).toBe('Bearer');
      expect(issued.expiresIn).toBe(900);
      const decoded = jwt.decode(issued.accessToken, { complete: true }) as jwt.Jwt & { payload: jwt.JwtPayload };
      expect(decoded.header.alg).toBe('HS256');
      expect(decoded.payload).toMatchObject({ iss: 'clientele', aud: 'clientele-api', sub: USER_ID, acc: ACCOUNT_ID });
      expect(decoded.payload.exp! - decoded.payload.iat!).toBe(900);
    });

    it('accepts a token signed independently with the same key and claims', () => {
      const token = jwt.sign(claims, JWT_SECRET, validOptions);

      expect(tokens.callerOf(token)).toEqual({ kind: 'user', userId: USER_ID, accountId: ACCOUNT_ID, role: 'admin' });
    });
  });

  describe('callerOf() rejects, with null,', () => {
    it('a token signed with another key', () => {
      const token = jwt.sign(claims, 'z'.repeat(48), validOptions);

      expect(tokens.callerOf(token)).toBeNull();
    });

    it('an unsigned token (alg "none")', () => {
      const now = Math.floor(Date.now() / 1000);
      const payload = { ...claims, iss: 'clientele', aud: 'clientele-api', iat: now, exp: now + 600 };
      const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;

      expect(tokens.callerOf(token)).toBeNull();
    });

    it('a token with the right key but another algorithm (HS512)', () => {
      const token = jwt.sign(claims, JWT_SECRET, { ...validOptions, algorithm: 'HS512' });

      expect(tokens.callerOf(token)).toBeNull();
    });

    it('an expired token', () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      const token = jwt.sign({ ...claims, iat: past, exp: past + 60 }, JWT_SECRET, {
        algorithm: 'HS256',
        issuer: 'clientele',
        audience: 'clientele-api',
      });

      expect(tokens.callerOf(token)).toBeNull();
    });

    it('a token for another audience', () => {
      expect(tokens.callerOf(jwt.sign(claims, JWT_SECRET, { ...validOptions, audience: 'other-api' }))).toBeNull();
    });

    it('a token from another issuer', () => {
      expect(tokens.callerOf(jwt.sign(claims, JWT_SECRET, { ...validOptions, issuer: 'someone-else' }))).toBeNull();
    });

    it('a token without an account', () => {
      expect(tokens.callerOf(jwt.sign({ sub: USER_ID }, JWT_SECRET, validOptions))).toBeNull();
    });

    it('a tampered payload', () => {
      const [header, , signature] = tokens.issue({ userId: USER_ID, accountId: ACCOUNT_ID, role: 'admin', email: 'ana@example.com' }).accessToken.split('.');
      const now = Math.floor(Date.now() / 1000);
      const forged = base64url({ ...claims, acc: 'someone-elses-account', iss: 'clientele', aud: 'clientele-api', iat: now, exp: now + 600 });

      expect(tokens.callerOf(`${header}.${forged}.${signature}`)).toBeNull();
    });

    it.each(['', 'garbage', 'a.b.c'])('a malformed token %p', (token) => {
      expect(tokens.callerOf(token)).toBeNull();
    });
  });

  describe('the operator token', () => {
    it('stands for the operator', () => {
      expect(tokens.callerOf(OPERATOR_TOKEN)).toEqual({ kind: 'operator' });
    });

    it('is not matched by a wrong token of another length, without throwing', () => {
      expect(() => tokens.callerOf('short')).not.toThrow();
      expect(tokens.callerOf('short')).toBeNull();
      expect(tokens.callerOf(`${OPERATOR_TOKEN}x`)).toBeNull();
    });

    it('is not matched by a wrong token of the same length', () => {
      expect(tokens.callerOf(OPERATOR_TOKEN.slice(0, -1) + 'y')).toBeNull();
    });

    it('is off when PLATFORM_ADMIN_TOKEN is empty: even an empty bearer is not the operator', () => {
      const withoutOperator = new Tokens(loadConfig(GatewayConfig, { JWT_SECRET }));

      expect(withoutOperator.callerOf('')).toBeNull();
      expect(withoutOperator.callerOf(OPERATOR_TOKEN)).toBeNull();
    });
  });
});
