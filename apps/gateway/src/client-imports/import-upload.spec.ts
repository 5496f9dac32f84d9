import { PART_BYTES, partsOf } from './import-upload';

describe('partsOf', () => {
  it('keeps a small file in one part', () => {
    expect(partsOf([{ a: 1 }, { b: 2 }])).toEqual([[{ a: 1 }, { b: 2 }]]);
  });

  it('splits a large file into parts of at most PART_BYTES of JSON each, in order, never splitting a row', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ i, adminNotes: 'x'.repeat(4_000) }));
    const parts = partsOf(rows);

    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flat()).toEqual(rows);
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(PART_BYTES);
  });
});
