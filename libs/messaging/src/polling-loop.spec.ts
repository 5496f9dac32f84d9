import { PollingLoop } from './polling-loop';

describe('PollingLoop', () => {
  it('stops promptly even when stop() arrives while a pass is running', async () => {
    let passes = 0;
    const loop = new PollingLoop(async () => {
      passes += 1;
      await new Promise((r) => setTimeout(r, 50));
      return 'idle';
    }, { name: 'test', intervalMs: 60_000, onError: () => undefined });
    loop.start();
    await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await loop.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(passes).toBe(1);
  });

  it('runs again at once while there is more to do, and when nudged', async () => {
    const outcomes: ('more' | 'idle')[] = ['more', 'more', 'idle', 'idle'];
    let passes = 0;
    const loop = new PollingLoop(async () => outcomes[passes++] ?? 'idle', { name: 'test', intervalMs: 60_000, onError: () => undefined });
    loop.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(passes).toBe(3);
    loop.nudge();
    await new Promise((r) => setTimeout(r, 50));
    expect(passes).toBe(4);
    await loop.stop();
  });
});
