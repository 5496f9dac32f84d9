export interface PollingLoopOptions {
  name: string;
  /** The wait between passes when there is nothing more to do. */
  intervalMs: number;
  /** The longest wait after repeated failures (the wait doubles from intervalMs). */
  maxBackoffMs?: number;
  onError: (message: string) => void;
}

/**
 * Runs a unit of work again and again: at once while it reports more to do,
 * otherwise after `intervalMs` or when nudged, backing off while it fails.
 * `stop()` lets the running pass finish and does not wait out the interval.
 */
export class PollingLoop {
  private running?: Promise<void>;
  private stopping = false;
  private wake?: (afterMs: number) => void;

  constructor(
    private readonly work: () => Promise<'more' | 'idle'>,
    private readonly options: PollingLoopOptions,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Run the next pass soon: after `afterMs`, so that nudges close together share one pass. */
  nudge(afterMs = 0): void {
    this.wake?.(afterMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.(0);
    await this.running;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let outcome: 'more' | 'idle' = 'idle';
      try {
        outcome = await this.work();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.onError(`${this.options.name}: ${(error as Error).message}; retrying`);
      }
      if (this.stopping) break;
      if (outcome === 'more') continue;
      const { intervalMs, maxBackoffMs = 30_000 } = this.options;
      const delay = failures ? Math.min(maxBackoffMs, intervalMs * 2 ** failures) : intervalMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = (afterMs) => {
          this.wake = undefined;
          clearTimeout(timer);
          setTimeout(resolve, afterMs);
        };
      });
    }
  }
}
