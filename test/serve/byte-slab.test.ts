import { describe, expect, it } from 'vitest';
import { ByteSlab } from '../../src/serve/byte-slab.js';

describe('response buffers cut from slabs', () => {
  it('never overlap: every buffer keeps what was written to it, across slabs and past the size for one', () => {
    const slab = new ByteSlab(4096);
    const taken: Array<[Buffer, number]> = [];
    for (let i = 0; i < 500; i++) {
      const n = [1, 7, 100, 511, 512, 513, 3000][i % 7]!;
      const bytes = slab.take(n);
      expect(bytes.length).toBe(n);
      bytes.fill(i % 251);
      taken.push([bytes, i % 251]);
    }
    for (const [bytes, value] of taken) expect(bytes.every((b) => b === value)).toBe(true);
    // Many buffers share a slab; one larger than an eighth of a slab is not cut from one.
    const slabs = new Set(taken.filter(([b]) => b.length <= 512).map(([b]) => b.buffer));
    expect(slabs.size).toBeLessThan(taken.length / 10);
    for (const bytes of slabs) expect(bytes.byteLength).toBe(4096);
    for (const [b] of taken.filter(([b]) => b.length > 512)) expect(slabs.has(b.buffer)).toBe(false);
  });
});
