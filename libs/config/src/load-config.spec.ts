import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommonConfig, ServiceConfig } from './common.config';
import { parseDuration } from './duration';
import { ConfigError, loadConfig } from './load-config';

const VALID_SERVICE_ENV = { DATABASE_URL: 'postgres://app:app@localhost:5432/clientele' };

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

describe('loadConfig', () => {
  it('applies the defaults when the environment is empty', () => {
    const config = loadConfig(CommonConfig, {});

    expect(config).toBeInstanceOf(CommonConfig);
    expect(config.NODE_ENV).toBe('development');
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(config.natsServers).toEqual(['nats://127.0.0.1:4222']);
    expect(config.requestTimeoutMs).toBe(5_000);
    expect(config.shutdownGraceMs).toBe(10_000);
    expect(config.production).toBe(false);
  });

  it('treats an empty variable as unset, so the default applies', () => {
    const config = loadConfig(CommonConfig, { LOG_LEVEL: '', NATS_URL: '' });

    expect(config.LOG_LEVEL).toBe('info');
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
  });

  it('reads settings from the environment and ignores unrelated variables', () => {
    const config = loadConfig(CommonConfig, {
      NODE_ENV: 'production',
      NATS_URL: 'nats://a:4222,tls://b:4222',
      REQUEST_TIMEOUT: '250ms',
      PATH: '/usr/bin',
    });

    expect(config.production).toBe(true);
    expect(config.natsServers).toEqual(['nats://a:4222', 'tls://b:4222']);
    expect(config.requestTimeoutMs).toBe(250);
    expect(config).not.toHaveProperty('PATH');
  });

  it('converts numeric settings from their string form', () => {
    const config = loadConfig(ServiceConfig, { ...VALID_SERVICE_ENV, HTTP_PORT: '8080', DATABASE_POOL_MAX: '25' });

    expect(config.HTTP_PORT).toBe(8080);
    expect(config.DATABASE_POOL_MAX).toBe(25);
  });

  it('rejects a malformed NATS_URL with a one-line ConfigError naming NATS_URL', () => {
    const error = configErrorOf(() => loadConfig(CommonConfig, { NATS_URL: 'http://localhost:4222' }));

    expect(error.message).toContain('NATS_URL');
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toBe('Invalid setting NATS_URL: must be one or more nats:// URLs, comma-separated');
  });

  it('requires DATABASE_URL for a service and names it', () => {
    const error = configErrorOf(() => loadConfig(ServiceConfig, {}));

    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  it('does not echo a rejected value, which may hold a secret', () => {
    const error = configErrorOf(() => loadConfig(ServiceConfig, { DATABASE_URL: 'mysql://app:s3cr3t-pw@db/clientele' }));

    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('s3cr3t-pw');
  });

  it('names a non-numeric port', () => {
    const error = configErrorOf(() => loadConfig(ServiceConfig, { ...VALID_SERVICE_ENV, HTTP_PORT: 'eighty' }));

    expect(error.message).toMatch(/^Invalid setting HTTP_PORT: /);
  });

  it('names a malformed duration', () => {
    const error = configErrorOf(() => loadConfig(CommonConfig, { SHUTDOWN_GRACE: '10 seconds' }));

    expect(error.message).toBe('Invalid setting SHUTDOWN_GRACE: must be a duration such as 14d, 90m, 5s or 250ms');
  });

  it('rejects a log level it does not know', () => {
    expect(() => loadConfig(CommonConfig, { LOG_LEVEL: 'chatty' })).toThrow(/LOG_LEVEL/);
  });
});

describe('NATS credentials', () => {
  it('takes a user and password, or a credentials file that must be readable', () => {
    const withPassword = loadConfig(CommonConfig, { NATS_USER: 'gateway', NATS_PASSWORD: 's3cret' });
    expect(withPassword.natsConnection('gateway')).toMatchObject({ name: 'gateway', user: 'gateway', pass: 's3cret', credsFile: '' });

    const file = join(mkdtempSync(join(tmpdir(), 'creds-')), 'gateway.creds');
    writeFileSync(file, '-----BEGIN NATS USER JWT-----');
    expect(loadConfig(CommonConfig, { NATS_CREDS: file }).natsConnection('gateway').credsFile).toBe(file);

    expect(() => loadConfig(CommonConfig, { NATS_CREDS: '/nowhere/gateway.creds' })).toThrow('Invalid setting NATS_CREDS: must be the path of a readable file');
  });
});

describe('NATS prefix', () => {
  it('leaves subjects and stream names alone without NATS_PREFIX', () => {
    const config = loadConfig(CommonConfig, {});

    expect(config.subjectPrefix).toBe('');
    expect(config.streamName('ACCOUNTS')).toBe('ACCOUNTS');
  });

  it('puts NATS_PREFIX in front of subjects and stream names', () => {
    const config = loadConfig(CommonConfig, { NATS_PREFIX: 't1-run_2' });

    expect(config.subjectPrefix).toBe('t1-run_2.');
    // Stream names allow no dots or dashes: uppercased, dashes become underscores.
    expect(config.streamName('ACCOUNTS')).toBe('T1_RUN_2_ACCOUNTS');
  });

  it('rejects a prefix with dots or capitals, which would break subjects', () => {
    expect(() => loadConfig(CommonConfig, { NATS_PREFIX: 'T1' })).toThrow(/NATS_PREFIX/);
    expect(() => loadConfig(CommonConfig, { NATS_PREFIX: 'a.b' })).toThrow(/NATS_PREFIX/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['14d', 14 * 86_400_000],
    ['90m', 90 * 60_000],
    ['2h', 7_200_000],
    ['5s', 5_000],
    ['250ms', 250],
    ['1.5s', 1_500],
    ['0', 0],
  ])('parses %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['abc', '5 s', '5', '', '-5s', '5sec', '1w'])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
