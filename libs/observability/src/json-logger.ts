import { writeSync } from 'node:fs';
import { LoggerService } from '@nestjs/common';
import { currentRequestId } from './request-context';

const LEVELS = { debug: 10, verbose: 10, info: 20, log: 20, warn: 30, error: 40, fatal: 50 } as const;
type Level = keyof typeof LEVELS;

const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestMicroservice']);

const SECRET_KEYS = /pass(word)?|secret|token|authorization|api[-_]?key|cookie/i;

/** Replaces the values of keys that may hold secrets. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

/** Lines are held this long at most, or until this many bytes wait, then written at once. */
const FLUSH_MS = 25;
const FLUSH_BYTES = 64 * 1024;

/**
 * Lines go to stdout in batches: a write is a system call (synchronous for
 * pipes and files), and under load a service logs a line per request. A batch
 * is written FLUSH_MS after its first line, or at once when FLUSH_BYTES wait;
 * what is pending is written synchronously when the process exits. A process
 * killed with SIGKILL loses at most the last FLUSH_MS of lines.
 */
class CoalescingStdout {
  private pending: string[] = [];
  private bytes = 0;
  private timer?: NodeJS.Timeout;

  constructor() {
    process.once('exit', () => this.flushSync());
  }

  readonly write = (line: string): void => {
    this.pending.push(line);
    this.bytes += line.length;
    if (this.bytes >= FLUSH_BYTES) return this.flush();
    if (!this.timer) this.timer = setTimeout(this.flush, FLUSH_MS);
  };

  private readonly flush = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.bytes = 0;
    process.stdout.write(chunk);
  };

  private flushSync(): void {
    clearTimeout(this.timer);
    if (!this.pending.length) return;
    writeSync(1, this.pending.join(''));
    this.pending = [];
  }
}

let stdout: CoalescingStdout | undefined;
const defaultWrite = (line: string) => (stdout ??= new CoalescingStdout()).write(line);

/** One JSON object per line on stdout, with the service name and the current request id. */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    private readonly service: string,
    level: string = 'info',
    private readonly write: (line: string) => void = defaultWrite,
  ) {
    this.threshold = LEVELS[(level as Level) in LEVELS ? (level as Level) : 'info'];
  }

  log(message: unknown, ...rest: unknown[]): void { this.emit('info', message, rest); }
  error(message: unknown, ...rest: unknown[]): void { this.emit('error', message, rest); }
  warn(message: unknown, ...rest: unknown[]): void { this.emit('warn', message, rest); }
  debug(message: unknown, ...rest: unknown[]): void { this.emit('debug', message, rest); }
  verbose(message: unknown, ...rest: unknown[]): void { this.emit('debug', message, rest); }
  fatal(message: unknown, ...rest: unknown[]): void { this.emit('fatal', message, rest); }

  private emit(level: Level, message: unknown, rest: unknown[]): void {
    if (LEVELS[level] < this.threshold) return;
    // Nest passes the context (class name) as the last string argument.
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    let shown: Level = level;
    // Nest's start-up chatter (every module and route) is debug, not info.
    if (level === 'info' && context && BOOT_CONTEXTS.has(context)) {
      if (LEVELS.debug < this.threshold) return;
      shown = 'debug';
    }
    const requestId = currentRequestId();
    const fixed = { level: shown, time: new Date().toISOString(), service: this.service, ...(requestId ? { requestId } : {}) };
    const entry: Record<string, unknown> = { ...fixed, ...(context ? { context } : {}) };
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, redact(message));
    } else {
      entry.msg = String(message);
    }
    for (const arg of args) {
      if (arg instanceof Error) entry.stack = arg.stack;
      else if (typeof arg === 'string') entry.stack = arg;
      else if (arg && typeof arg === 'object') Object.assign(entry, redact(arg));
    }
    // The fixed fields win over anything a message carried under the same names.
    Object.assign(entry, fixed);
    this.write(`${JSON.stringify(entry)}\n`);
  }
}
