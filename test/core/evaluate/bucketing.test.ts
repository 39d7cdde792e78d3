import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketHundredths, bucketNext, bucketPosition, bucketWithPrefix, inPercentage, pickSplit, saltPrefix } from '../../../src/core/serving/evaluate/bucketing.js';
import { md5Hex, md5PairWords, md5Words } from '../../../src/core/serving/evaluate/md5.js';
import { referencePosition } from '../../helpers/bucket-reference.js';
import { repoRoot } from '../../helpers/cli.js';

/** The reference position in integer hundredths, as bucketHundredths returns it. */
const reference = (salt: string, value: string) => Math.round(referencePosition(salt, value) * 100);

describe('md5', () => {
  it('equals node:crypto on any text, one block or many', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        expect(md5Hex(text)).toBe(createHash('md5').update(text, 'utf8').digest('hex'));
      }),
      { numRuns: 3000 },
    );
  });

  it('encodes a lone surrogate as U+FFFD, as Buffer does', () => {
    expect(md5Hex('a\ud800b')).toBe(createHash('md5').update('a\ud800b', 'utf8').digest('hex'));
  });

  it.each(['', 'a', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'x'.repeat(1000)])('equals node:crypto at block boundaries (%#)', (text) => {
    expect(md5Hex(text)).toBe(createHash('md5').update(text).digest('hex'));
  });
});

describe('md5 of two messages at once', () => {
  const words = (text: string) => {
    const out = new Int32Array(4);
    md5Words(text, out);
    return [...out];
  };

  it('gives each message its own digest, or declines when either needs a second block', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 40 }), (a, b, text) => {
        const first = new TextEncoder().encode(a);
        const second = new TextEncoder().encode(b);
        const out = new Int32Array(8).fill(7);
        const textBytes = Buffer.byteLength(text);
        const fits = first.length + textBytes <= 55 && second.length + textBytes <= 55;
        expect(md5PairWords(first, second, text, out)).toBe(fits);
        if (fits) expect([...out]).toEqual([...words(a + text), ...words(b + text)]);
        else expect([...out]).toEqual(new Array(8).fill(7));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([[0, 55], [55, 0], [20, 35], [21, 35], [1, 54], [54, 2]])('handles messages of %i + %i bytes, at the one-block edge', (prefix, text) => {
    const first = new TextEncoder().encode('p'.repeat(prefix));
    const second = new TextEncoder().encode('q'.repeat(prefix));
    const out = new Int32Array(8);
    const fits = prefix + text <= 55;
    expect(md5PairWords(first, second, 'x'.repeat(text), out)).toBe(fits);
    if (fits) expect([...out]).toEqual([...words('p'.repeat(prefix) + 'x'.repeat(text)), ...words('q'.repeat(prefix) + 'x'.repeat(text))]);
  });
});

describe('bucketing', () => {
  it('gives the same buckets whatever the hints about the next flag say, and whether they come true or not', () => {
    const salts = ['alpha', 'beta', 'gamma-rollout', 'x'.repeat(50), 'délai'];
    const prefixes = salts.map(saltPrefix);
    const step = fc.record({ hint: fc.option(fc.nat(salts.length - 1), { nil: undefined }), flag: fc.nat(salts.length - 1), value: fc.constantFrom('u-1', 'u-2', 'ü-3', 'v'.repeat(20)) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        try {
          for (const { hint, flag, value } of steps) {
            bucketNext(hint === undefined ? undefined : prefixes[hint]);
            expect(bucketWithPrefix(prefixes[flag]!, value)).toBe(bucketHundredths(salts[flag]!, value));
          }
        } finally {
          bucketNext(undefined);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('places every user where the 128-bit formula says', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), (salt, value) => {
        expect(bucketHundredths(salt, value)).toBe(reference(salt, value));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with int(md5("<flag>:<user>")) % 100 < p for whole percentages', () => {
    for (let i = 0; i < 20_000; i++) {
      const user = `user-${i}`;
      const whole = Number(BigInt(`0x${createHash('md5').update(`new-checkout:${user}`).digest('hex')}`) % 100n);
      const hundredths = bucketHundredths('new-checkout', user);
      for (const p of [1, 25, 50, 99]) expect(inPercentage(hundredths, p)).toBe(whole < p);
    }
  });

  it('matches the published vectors in docs/bucketing-vectors.json', () => {
    const { vectors } = JSON.parse(readFileSync(`${repoRoot}docs/bucketing-vectors.json`, 'utf8')) as {
      vectors: { salt: string; value: string; md5: string; position: number; 'in 25%': boolean; 'in 12.5%': boolean; 'split 50/25/25': string }[];
    };
    expect(vectors.length).toBeGreaterThan(10);
    const split: [string, number][] = [['control', 50], ['compact', 25], ['annual-first', 25]];
    for (const v of vectors) {
      const at = bucketHundredths(v.salt, v.value);
      expect(md5Hex(`${v.salt}:${v.value}`)).toBe(v.md5);
      expect(bucketPosition(v.salt, v.value)).toBe(v.position);
      expect(inPercentage(at, 25)).toBe(v['in 25%']);
      expect(inPercentage(at, 12.5)).toBe(v['in 12.5%']);
      expect(pickSplit(at, split)).toBe(v['split 50/25/25']);
    }
  });

  it('only adds users as a percentage grows', () => {
    const users = Array.from({ length: 2000 }, (_, i) => bucketHundredths('grow', `u${i}`));
    let previous = new Set<number>();
    for (const p of [0.01, 1, 5, 12.34, 50, 99.99, 100]) {
      const inside = new Set(users.flatMap((h, i) => (inPercentage(h, p) ? [i] : [])));
      for (const i of previous) expect(inside.has(i)).toBe(true);
      previous = inside;
    }
    expect(previous.size).toBe(2000);
  });
});
