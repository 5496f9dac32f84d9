import type { LoggerService } from '@nestjs/common';
import { flushLogs } from './json-logger';

/**
 * Runs the shutdown steps once on SIGTERM or SIGINT, in order, within a grace
 * period; exits 0 when all finished, 1 when the grace ran out. The log lines
 * still waiting for their batch are written before the process exits.
 */
export function onShutdownSignals(logger: LoggerService, graceMs: number, steps: () => Promise<void>): void {
  let started = false;
  const shutdown = (signal: string) => {
    if (started) return;
    started = true;
    logger.log({ msg: `${signal} received: draining`, graceMs });
    const timer = setTimeout(() => {
      logger.error({ msg: 'shutdown grace period ran out; exiting' });
      exitWithLogs(1);
    }, graceMs);
    timer.unref();
    steps().then(
      () => {
        logger.log({ msg: 'stopped cleanly' });
        exitWithLogs(0);
      },
      (error: Error) => {
        logger.error({ msg: `shutdown failed: ${error.message}` }, error.stack);
        exitWithLogs(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function exitWithLogs(code: number): never {
  flushLogs();
  return process.exit(code);
}
