import { JsonLogger, REDACT_PATHS } from './json-logger';
import { currentRequestId, runWithRequestId, sanitizeRequestId } from './request-context';

/** A logger whose output is captured as written, plus the parsed lines. */
function capture(level = 'info', service = 'accounts') {
  const written: string[] = [];
  const logger = new JsonLogger(service, level, { write: (chunk) => written.push(chunk) });
  const lines = () => written.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, written, lines };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with the service, level, time and message', () => {
    const { logger, written, lines } = capture();

    logger.log('ready');
    logger.warn('slow');

    expect(written).toHaveLength(2);
    for (const chunk of written) {
      expect(chunk.endsWith('\n')).toBe(true);
      expect(chunk.indexOf('\n')).toBe(chunk.length - 1);
    }
    expect(lines()).toEqual([
      expect.objectContaining({ service: 'accounts', level: 'info', msg: 'ready' }),
      expect.objectContaining({ service: 'accounts', level: 'warn', msg: 'slow' }),
    ]);
    expect(lines()[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(lines()[0].time as string) - Date.now())).toBeLessThan(60_000);
  });

  it('writes exactly these fields for a plain message', () => {
    const { logger, lines } = capture();

    logger.warn('slow', 'OutboxRelay');

    expect(Object.keys(lines()[0]).sort()).toEqual(['context', 'level', 'msg', 'service', 'time']);
  });

  it('keeps a multi-line message on one line', () => {
    const { logger, written, lines } = capture();

    logger.error('first line\nsecond line\r\nthird');

    expect(written[0].split('\n')).toHaveLength(2); // the content, then nothing after the final newline
    expect(lines()[0].msg).toBe('first line\nsecond line\r\nthird');
  });

  it('records the Nest context given as the last string argument', () => {
    const { logger, lines } = capture();

    logger.log('client created', 'ClientsController');

    expect(lines()[0]).toMatchObject({ msg: 'client created', context: 'ClientsController' });
  });

  it('merges an object message into the line', () => {
    const { logger, lines } = capture();

    logger.log({ msg: 'gateway ready', port: 3000 });

    expect(lines()[0]).toMatchObject({ level: 'info', service: 'accounts', msg: 'gateway ready', port: 3000 });
  });

  it('logs an Error with its message and stack', () => {
    const { logger, lines } = capture();

    logger.error(new Error('connection refused'));

    expect(lines()[0]).toMatchObject({ level: 'error', msg: 'connection refused' });
    expect(lines()[0].stack).toContain('connection refused');
  });

  it("takes the stack Nest's Logger passes after an object message", () => {
    const { logger, lines } = capture();
    const error = new Error('db down');

    logger.error({ msg: 'unexpected error', errorId: 'e-1' }, error.stack, 'Problem');

    expect(lines()[0]).toMatchObject({ level: 'error', msg: 'unexpected error', errorId: 'e-1', context: 'Problem' });
    expect(lines()[0].stack).toContain('db down');
  });

  it('keeps its own level, time and service over fields of the same names', () => {
    const { logger, lines } = capture();

    logger.log({ msg: 'odd fields', level: 'fatal', time: 'yesterday', service: 'other', kept: true });

    expect(lines()[0]).toMatchObject({ level: 'info', service: 'accounts', msg: 'odd fields', kept: true });
    expect(lines()[0].time).not.toBe('yesterday');
  });

  it('leaves the logged object as it was', () => {
    const { logger } = capture();
    const fields = { msg: 'sign-in', user: { password: 'hunter2-hunter2' }, token: 'tok-1' };

    runWithRequestId('r-1', () => logger.log(fields));
    logger.log(fields, 'AuthController');

    expect(fields).toEqual({ msg: 'sign-in', user: { password: 'hunter2-hunter2' }, token: 'tok-1' });
  });

  describe('request id', () => {
    it('adds the request id of the current request', () => {
      const { logger, lines } = capture();

      runWithRequestId('abc', () => logger.log('inside'));
      logger.log('outside');

      expect(lines()[0]).toMatchObject({ msg: 'inside', requestId: 'abc' });
      expect(lines()[1]).not.toHaveProperty('requestId');
    });

    it('keeps the request id across awaits', async () => {
      const { logger, lines } = capture();

      await runWithRequestId('req-42', async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        logger.log('after await');
      });

      expect(lines()[0]).toMatchObject({ requestId: 'req-42' });
    });

    it("is the request's own, whatever the logged object says", () => {
      const { logger, lines } = capture();

      runWithRequestId('abc', () => logger.log({ msg: 'x', requestId: 'forged' }));
      logger.log({ msg: 'y', requestId: 'from-an-event' });

      expect(lines()[0]).toMatchObject({ requestId: 'abc' });
      expect(lines()[1]).toMatchObject({ requestId: 'from-an-event' });
    });

    it('is on the lines written with the pino logger itself', () => {
      const { logger, lines } = capture();

      runWithRequestId('abc', () => logger.pino.info({ route: '/v1/clients' }, 'direct'));

      expect(lines()[0]).toMatchObject({ level: 'info', service: 'accounts', requestId: 'abc', route: '/v1/clients', msg: 'direct' });
    });

    it('replaces an unprintable client id with a generated one', () => {
      const { logger, lines } = capture();

      runWithRequestId('evil\nid', () => logger.log('x'));

      const requestId = lines()[0].requestId as string;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(requestId).not.toContain('evil');
    });
  });

  describe('redaction', () => {
    it('hides secret values in nested objects and arrays, keeping the rest', () => {
      const { logger, written, lines } = capture();

      logger.log({
        msg: 'sign-in',
        user: { email: 'ana@acme.example', password: 'hunter2-hunter2' },
        headers: { authorization: 'Bearer eyJ.secret.jwt', 'x-api-key': 'key-123', cookie: 'sid=abc' },
        apiKey: 'key-456',
        api_key: 'key-789',
        sessions: [{ refreshToken: 'rt-1', device: 'phone' }],
        clientSecret: 'cs-1',
      });

      const text = written.join('');
      for (const secret of ['hunter2-hunter2', 'eyJ.secret.jwt', 'key-123', 'sid=abc', 'key-456', 'key-789', 'rt-1', 'cs-1']) {
        expect(text).not.toContain(secret);
      }
      expect(lines()[0]).toMatchObject({
        msg: 'sign-in',
        user: { email: 'ana@acme.example', password: '[redacted]' },
        headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', cookie: '[redacted]' },
        apiKey: '[redacted]',
        sessions: [{ refreshToken: '[redacted]', device: 'phone' }],
      });
    });

    it('also hides secrets in an object passed after the message', () => {
      const { logger, written, lines } = capture();

      logger.warn('login failed', { token: 'tok-1', email: 'ana@acme.example' }, 'AuthController');

      expect(written.join('')).not.toContain('tok-1');
      expect(lines()[0]).toMatchObject({ msg: 'login failed', token: '[redacted]', email: 'ana@acme.example', context: 'AuthController' });
    });

    it.each([
      'password', 'newPassword', 'passwordHash', 'secret', 'clientSecret', 'JWT_SECRET', 'token', 'accessToken',
      'refreshToken', 'tokenHash', 'PLATFORM_ADMIN_TOKEN', 'NATS_PASSWORD', 'authorization', 'Authorization',
      'apiKey', 'api_key', 'x-api-key', 'cookie', 'set-cookie',
    ])('hides %s at the top of a line and one and two objects below it', (name) => {
      const { logger, written, lines } = capture('debug');

      logger.debug({ msg: 'x', [name]: 's-top', a: { [name]: 's-one', b: { [name]: 's-two' } }, list: [{ [name]: 's-item' }] });

      expect(written.join('')).not.toMatch(/s-(top|one|two|item)/);
      expect(lines()[0]).toMatchObject({ [name]: '[redacted]', a: { [name]: '[redacted]', b: { [name]: '[redacted]' } }, list: [{ [name]: '[redacted]' }] });
    });

    it('hides any key that looks secret, whatever its case or depth, without changing the logged object', () => {
      const { logger, written, lines } = capture();
      const logged = {
        msg: 'x',
        ownerPassword: 's-1',
        PASSWORD: 's-2',
        'X-Api-Key': 's-3',
        smtpPass: 's-4',
        payload: { body: { owner: { password: 's-5', email: 'ana@acme.example' } } },
        links: [{ link: { resetToken: 's-6', url: 'https://x.example/' } }],
      };

      logger.log(logged);

      expect(written.join('')).not.toMatch(/s-[1-6]/);
      expect(lines()[0]).toMatchObject({ ownerPassword: '[redacted]', payload: { body: { owner: { password: '[redacted]', email: 'ana@acme.example' } } }, links: [{ link: { resetToken: '[redacted]', url: 'https://x.example/' } }] });
      expect(logged.payload.body.owner.password).toBe('s-5');
    });

    it('hides secrets logged with the pino logger itself', () => {
      const { logger, written } = capture();

      logger.pino.warn({ body: { email: 'ana@acme.example', password: 'hunter2-hunter2' } }, 'refused');

      expect(written.join('')).not.toContain('hunter2-hunter2');
      expect(written.join('')).toContain('ana@acme.example');
    });

    it('is expressed as pino redact paths', () => {
      expect(REDACT_PATHS).toEqual(expect.arrayContaining(['password', '*.password', '*.*.password', '["x-api-key"]', '*["x-api-key"]']));
    });
  });

  describe('level threshold', () => {
    it('drops lines below the configured level', () => {
      const { logger, lines } = capture('warn');

      logger.debug('d');
      logger.verbose('v');
      logger.log('i');
      logger.warn('w');
      logger.error('e');
      logger.fatal('f');

      expect(lines().map((l) => l.level)).toEqual(['warn', 'error', 'fatal']);
    });

    it('writes debug lines at level debug, verbose as debug', () => {
      const { logger, lines } = capture('debug');

      logger.debug('d');
      logger.verbose('v');

      expect(lines().map((l) => [l.level, l.msg])).toEqual([['debug', 'd'], ['debug', 'v']]);
    });

    it('falls back to info for an unknown level', () => {
      const { logger, lines } = capture('chatty');

      logger.debug('hidden');
      logger.log('shown');

      expect(lines().map((l) => l.msg)).toEqual(['shown']);
    });

    it("treats Nest's start-up chatter as debug", () => {
      const info = capture('info');
      info.logger.log('Mapped {/v1/clients, POST} route', 'RouterExplorer');
      expect(info.lines()).toEqual([]);

      const debug = capture('debug');
      debug.logger.log('Mapped {/v1/clients, POST} route', 'RouterExplorer');
      expect(debug.lines()).toEqual([expect.objectContaining({ level: 'debug', context: 'RouterExplorer' })]);
    });
  });
});

describe('sanitizeRequestId', () => {
  it.each(['abc', 'req-1', '0190a5d2-7c1e-7b3a-9f00-1234567890ab', 'a.b:c_d', 'x'.repeat(128)])('accepts %p', (id) => {
    expect(sanitizeRequestId(id)).toBe(id);
  });

  it.each([
    ['with a space', 'a b'],
    ['with a newline', 'abc\n{"level":"error"}'],
    ['with a carriage return', 'abc\r'],
    ['over 128 characters', 'x'.repeat(129)],
    ['empty', ''],
    ['not a string', 123],
    ['undefined', undefined],
  ])('rejects an id %s', (_name, id) => {
    expect(sanitizeRequestId(id)).toBeUndefined();
  });

  it('is applied by runWithRequestId', () => {
    expect(runWithRequestId('ok-id', () => currentRequestId())).toBe('ok-id');
    expect(runWithRequestId('x'.repeat(129), () => currentRequestId())).not.toBe('x'.repeat(129));
    expect(runWithRequestId(undefined, () => currentRequestId())).toMatch(/^[0-9a-f-]{36}$/);
  });
});
