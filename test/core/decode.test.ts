import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/core/definition/load/decode.js';

const at = (bytes: number[], prefix = 'ab\ncd') => {
  const result = decodeUtf8('f.yaml', Uint8Array.from([...Buffer.from(prefix), ...bytes]));
  return 'diagnostic' in result ? [result.diagnostic.line, result.diagnostic.column] : result.text;
};

describe('decodeUtf8', () => {
  it('decodes valid UTF-8, multi-byte characters included', () => {
    expect(at([0xe2, 0x82, 0xac], 'x')).toBe('x€');
  });
  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a truncated sequence at the end', [0xe2, 0x82]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['Latin-1 é', [0xe9, 0x41]],
  ])('points at %s', (_, bytes) => {
    expect(at(bytes)).toEqual([2, 3]);
  });
});
