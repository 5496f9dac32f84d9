/**
 * Runs a unit of work again and again: at once while it reports more to do,
 * otherwise after `intervalMs` or when nudged, backing off while it fails.
 * `stop()` lets the running pass finish.
 */
export class PollingLoop {
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<'more' | 'idle'>,
    private readonly intervalMs: number,
    private readonly onError: (message: string) => void,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
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
        this.onError(`${this.name}: ${(error as Error).message}; retrying`);
      }
      if (this.stopping) break;
      if (outcome === 'more') continue;
      const delay = failures ? Math.min(30_000, this.intervalMs * 2 ** failures) : this.intervalMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          this.wake = undefined;
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
