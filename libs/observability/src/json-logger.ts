import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-context';

/** Nest's level names and LOG_LEVEL's, as pino's. */
const PINO_LEVELS = { debug: 'debug', verbose: 'debug', info: 'info', log: 'info', warn: 'warn', error: 'error', fatal: 'fatal' } as const;
type Level = (typeof PINO_LEVELS)[keyof typeof PINO_LEVELS];
/** pino's numbers for its default levels. */
const LEVEL_VALUES: Record<Level, number> = { debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** Nest's start-up chatter (every module and route) is debug, not info. */
const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestMicroservice']);

/**
 * Field names whose values are secrets. pino redacts by path, not by pattern:
 * a new secret-bearing field name gets its line here (and in the spec).
 */
const SECRET_FIELDS = [
  'password', 'pass', 'newPassword', 'currentPassword', 'passwordHash', 'password_hash', 'NATS_PASSWORD',
  'secret', 'clientSecret', 'client_secret', 'JWT_SECRET',
  'token', 'accessToken', 'access_token', 'refreshToken', 'refresh_token', 'idToken', 'tokenHash', 'token_hash',
  'operatorToken', 'PLATFORM_ADMIN_TOKEN',
  'authorization', 'Authorization', 'proxy-authorization',
  'apiKey', 'api_key', 'apikey', 'x-api-key',
  'cookie', 'Cookie', 'set-cookie',
];
const segment = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);
/** pino `redact` paths for secret fields at the top of a line. */
const TOP_LEVEL_PATHS = SECRET_FIELDS.map((name) => segment(name).replace(/^\./, ''));
/**
 * pino `redact` paths: every secret field name at the top of a line and one
 * and two objects below it (`a.password`, `a.b.password`; an array's items
 * count as a level).
 */
export const REDACT_PATHS: readonly string[] = [
  ...TOP_LEVEL_PATHS,
  ...SECRET_FIELDS.map((name) => `*${segment(name)}`),
  ...SECRET_FIELDS.map((name) => `*.*${segment(name)}`),
];
export const REDACTED = '[redacted]';

/** The fields every line carries: a caller's field of the same name does not replace them. */
const FIXED_FIELDS = ['level', 'time', 'service'] as const;

const NO_REQUEST: object = Object.freeze({});
/** pino mixin: the current request's id, when there is one. */
const requestScope = (): object => {
  const requestId = currentRequestId();
  return requestId === undefined ? NO_REQUEST : { requestId };
};
/** The request id goes first and wins over a field of the same name in the logged object. */
const mergeRequestScope = (fields: object, scope: object): object => {
  if (scope === NO_REQUEST) return fields;
  const { requestId } = scope as { requestId: string };
  const merged = Object.assign(scope, fields) as { requestId: string };
  merged.requestId = requestId;
  return merged;
};

/**
 * A pino logger writing one JSON object per line: `level` (its name), `time`
 * (ISO 8601), `service`, `requestId` inside a request (request-context.ts),
 * the logged fields and `msg`; secret fields are replaced by `[redacted]`.
 */
export function createPinoLogger(service: string, level: string = 'info', destination: DestinationStream = stdoutLines()): Logger {
  return pino(
    {
      level: Object.hasOwn(PINO_LEVELS, level) ? PINO_LEVELS[level as keyof typeof PINO_LEVELS] : 'info',
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: requestScope,
      mixinMergeStrategy: mergeRequestScope,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    },
    destination,
  );
}

/**
 * Nest's LoggerService over pino: the app passes it to NestFactory, and
 * Nest's `Logger` instances (`new Logger(Context)`) end here, with the
 * context as the last string argument.
 */
export class JsonLogger implements LoggerService {
  /**
   * The pino logger under it, for code that logs with pino's own API. It
   * tries every path of REDACT_PATHS on every line (see `topLevel`).
   */
  readonly pino: Logger;
  /**
   * The same logger redacting the top of a line only, for the lines that
   * hold no secret field name further down (most lines, the access line
   * among them). pino tries each wildcard path on every value of a line:
   * about 60 µs a line with REDACT_PATHS, against under 4 µs for the whole
   * line with the top-level paths alone.
   */
  private readonly topLevel: Logger;

  constructor(service: string, level: string = 'info', destination?: DestinationStream) {
    this.pino = createPinoLogger(service, level, destination);
    this.topLevel = this.pino.child({}, { redact: { paths: TOP_LEVEL_PATHS, censor: REDACTED } });
  }

  log(message: unknown, ...rest: unknown[]): void { this.emit('info', message, rest); }
  error(message: unknown, ...rest: unknown[]): void { this.emit('error', message, rest); }
  warn(message: unknown, ...rest: unknown[]): void { this.emit('warn', message, rest); }
  debug(message: unknown, ...rest: unknown[]): void { this.emit('debug', message, rest); }
  verbose(message: unknown, ...rest: unknown[]): void { this.emit('debug', message, rest); }
  fatal(message: unknown, ...rest: unknown[]): void { this.emit('fatal', message, rest); }

  private emit(level: Level, message: unknown, rest: unknown[]): void {
    const threshold = this.pino.levelVal;
    if (LEVEL_VALUES[level] < threshold) return;
    // Nest passes the context (class name) as the last string argument.
    let extra = rest.length;
    const context = extra > 0 && typeof rest[extra - 1] === 'string' ? (rest[--extra] as string) : undefined;
    if (level === 'info' && context !== undefined && BOOT_CONTEXTS.has(context)) {
      if (LEVEL_VALUES.debug < threshold) return;
      level = 'debug';
    }
    let msg: string | undefined;
    let fields: Record<string, unknown> | undefined;
    if (message instanceof Error) {
      msg = message.message;
      fields = { stack: message.stack };
    } else if (typeof message === 'object' && message !== null) {
      fields = message as Record<string, unknown>;
    } else {
      msg = String(message);
    }
    if (context !== undefined || extra > 0 || (fields !== undefined && hasFixedField(fields))) {
      // A line of its own: the caller's objects are not changed.
      const entry: Record<string, unknown> = context === undefined ? {} : { context };
      if (fields) Object.assign(entry, fields);
      for (let i = 0; i < extra; i++) {
        const arg = rest[i];
        if (arg instanceof Error) entry.stack = arg.stack;
        else if (typeof arg === 'string') entry.stack = arg;
        else if (arg && typeof arg === 'object') Object.assign(entry, arg);
      }
      for (const name of FIXED_FIELDS) delete entry[name];
      fields = entry;
    }
    if (fields !== undefined) fields = censorSecretKeys(fields, CENSOR_DEPTH) as Record<string, unknown>;
    if (fields === undefined) this.topLevel[level](msg);
    else (hasNestedSecretField(fields) ? this.pino : this.topLevel)[level](fields, msg);
  }
}

function hasFixedField(fields: Record<string, unknown>): boolean {
  return 'level' in fields || 'time' in fields || 'service' in fields;
}

const SECRET_NAMES = new Set(SECRET_FIELDS);

/**
 * Any key that looks like it holds a secret, whatever its case or place in
 * the name (`ownerPassword`, `resetToken`, `X-Api-Key`, `smtpPass`): the net
 * under SECRET_FIELDS, which pino's paths match by exact name only.
 */
const SECRET_KEY = /pass(word)?|secret|token|authorization|api[-_]?key|cookie/i;
/** How deep a logged object is searched for such keys. */
const CENSOR_DEPTH = 6;

/** `value` itself when no key in it looks secret; otherwise a copy with those values censored (the caller's object is left as it is). */
function censorSecretKeys(value: unknown, depth: number): unknown {
  if (depth === 0 || typeof value !== 'object' || value === null || value instanceof Error) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const censored = censorSecretKeys(item, depth - 1);
      if (censored !== item) (copy ??= [...value])[i] = censored;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key in value as Record<string, unknown>) {
    const item = (value as Record<string, unknown>)[key];
    const censored = SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : censorSecretKeys(item, depth - 1);
    if (censored !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = censored;
  }
  return copy ?? value;
}

/** Whether a secret field name is one or two objects below the top of the line: where REDACT_PATHS' wildcards reach. */
function hasNestedSecretField(fields: Record<string, unknown>): boolean {
  for (const name in fields) if (holdsSecretField(fields[name], 2)) return true;
  return false;
}

function holdsSecretField(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // pino's serializer writes an error's cause, which no `for…in` shows.
  if (value instanceof Error) return true;
  for (const name in value) {
    if (SECRET_NAMES.has(name)) return true;
    if (depth > 1 && holdsSecretField((value as Record<string, unknown>)[name], depth - 1)) return true;
  }
  return false;
}

/** Lines wait in memory until this many bytes are pending (pino's sonic-boom `minLength`; below its 16-KiB `maxWrite`)… */
const BATCH_BYTES = 8 * 1024;
/** …or until the first of them is this old. */
const BATCH_MS = 25;

/**
 * Stdout in batches: pino's own destination (sonic-boom) with `minLength`,
 * plus a timer so that a quiet service's lines wait at most BATCH_MS. Writes
 * are synchronous, so nothing is ever in flight: what waits is written when
 * the process exits, whether by `process.exit`, the end of its work or an
 * uncaught error; shutdown writes it before exiting (shutdown.ts). A process
 * killed with SIGKILL loses at most the last BATCH_MS of lines.
 */
class BatchedStdout implements DestinationStream {
  private readonly sonic = pino.destination({ dest: 1, sync: true, minLength: BATCH_BYTES });
  private timer?: NodeJS.Timeout;

  constructor() {
    process.once('exit', () => this.flushSync());
  }

  write(line: string): void {
    this.sonic.write(line);
    this.timer ??= setTimeout(this.flushPending, BATCH_MS);
  }

  /** pino's `logger.flush(cb)`: writes what waits; `cb` once it is written. */
  flush(cb?: (error?: Error) => void): void {
    this.cancelTimer();
    this.sonic.flush(cb);
  }

  flushSync(): void {
    this.cancelTimer();
    try {
      this.sonic.flushSync();
    } catch {
      // stdout is gone (a closed pipe): there is nowhere left to write to.
    }
  }

  private readonly flushPending = (): void => {
    this.timer = undefined;
    this.sonic.flush();
  };

  private cancelTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

let stdout: BatchedStdout | undefined;
function stdoutLines(): BatchedStdout {
  return (stdout ??= new BatchedStdout());
}

/** Writes every log line still waiting in memory, before this returns. */
export function flushLogs(): void {
  stdout?.flushSync();
}
