import type { LoggerService } from '@nestjs/common';

/**
 * Runs the shutdown steps once on SIGTERM or SIGINT, in order, within a grace
 * period; exits 0 when all finished, 1 when the grace ran out.
 */
export function onShutdownSignals(logger: LoggerService, graceMs: number, steps: () => Promise<void>): void {
  let started = false;
  const shutdown = (signal: string) => {
    if (started) return;
    started = true;
    logger.log({ msg: `${signal} received: draining`, graceMs });
    const timer = setTimeout(() => {
      logger.error({ msg: 'shutdown grace period ran out; exiting' });
      process.exit(1);
    }, graceMs);
    timer.unref();
    steps().then(
      () => {
        logger.log({ msg: 'stopped cleanly' });
        process.exit(0);
      },
      (error: Error) => {
        logger.error({ msg: `shutdown failed: ${error.message}` }, error.stack);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
