import { describe, expect, it } from 'vitest';
import { didYouMean, quoteList } from '../../src/core/shared/suggest.js';

describe('didYouMean', () => {
  const fields = ['enabled', 'rules', 'serve'];
  it.each([
    ['enabeld', 'enabled'],
    ['Enabled', 'enabled'],
    ['rule', 'rules'],
    ['serv', 'serve'],
  ])('suggests a close match for %s', (input, expected) => {
    expect(didYouMean(input, fields)).toBe(expected);
  });
  it('prefers, between candidates equally far, the one that keeps what was typed (of → off, not on)', () => {
    expect(didYouMean('of', ['on', 'off'])).toBe('off');
    expect(didYouMean('of', ['off', 'on'])).toBe('off');
    expect(didYouMean('stagin', ['staging', 'station'])).toBe('staging');
  });

  it('suggests nothing when nothing is close', () => {
    expect(didYouMean('percentage', fields)).toBeUndefined();
    expect(didYouMean('x'.repeat(500), fields)).toBeUndefined();
  });
});

describe('quoteList', () => {
  it('joins with commas and a conjunction', () => {
    expect(quoteList(['a'])).toBe('"a"');
    expect(quoteList(['a', 'b', 'c'], 'and')).toBe('"a", "b" and "c"');
  });
});
