import { wavesOf } from './outbox.relay';

const row = (seq: number, subject: string) => ({ seq, event: { subject } });

describe('relay waves', () => {
  it("put each aggregate's k-th pending event in wave k, so its events go out in order", () => {
    const rows = [row(1, 'a'), row(2, 'a'), row(3, 'b'), row(4, 'b'), row(5, 'c'), row(6, 'a')];

    const waves = wavesOf(rows).map((wave) => wave.map((r) => r.seq));

    expect(waves).toEqual([[1, 3, 5], [2, 4], [6]]);
  });

  it('share one wave among many aggregates with two events each (the expiry sweep)', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [row(2 * i, `acct-${i}`), row(2 * i + 1, `acct-${i}`)]).flat();

    const waves = wavesOf(rows);

    expect(waves.map((w) => w.length)).toEqual([1000, 1000]);
  });
});
