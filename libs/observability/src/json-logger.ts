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

/**
 * Lines written in one turn of the event loop go to stdout in one write: a
 * write is a system call, and under load a service logs several lines a turn.
 * What is pending is written synchronously when the process exits.
 */
class CoalescingStdout {
  private pending: string[] = [];
  private scheduled = false;

  constructor() {
    process.once('exit', () => this.flushSync());
  }

  readonly write = (line: string): void => {
    this.pending.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const chunk = this.pending.join('');
      this.pending = [];
      process.stdout.write(chunk);
    });
  };

  private flushSync(): void {
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
