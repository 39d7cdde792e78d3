import { describe, expect, it } from 'vitest';
import { ApiKeyError, MAX_KEY_BYTES, parseApiKeys, presentedKey } from '../../src/serve/api-keys.js';

const A = 'prod-7f3c9a1e5b2d4c6f8a0b';
const B = 'prod-rotated-0000000000000000';
const C = 'stag-ключ-для-тестов-ß-✓'; // multi-byte

describe('API keys', () => {
  const keys = parseApiKeys(`production=${A}\nproduction=${B} # rotating\nstaging=${C}`, ['production', 'staging'], 'keys.txt');

  it('open the environment of any of its keys, and nothing for anything else', () => {
    expect(keys.environments).toEqual(['production', 'staging']);
    expect(keys.environmentOf(A)).toBe('production');
    expect(keys.environmentOf(B)).toBe('production');
    expect(keys.environmentOf(C)).toBe('staging');
    for (const other of [undefined, '', A.slice(0, -1), `${A}0`, A.toUpperCase(), C.slice(0, -1), `${A}\u0000`, A.padEnd(MAX_KEY_BYTES, '\u0000'), A.padEnd(5000, 'x')]) {
      expect(keys.environmentOf(other), JSON.stringify(other?.slice(0, 40))).toBeUndefined();
    }
  });

  it('take a key of the longest length compared, and refuse a longer one without showing it', () => {
    const longest = 'k'.repeat(MAX_KEY_BYTES);
    expect(parseApiKeys(`production=${longest}`, ['production'], 'env').environmentOf(longest)).toBe('production');
    const tooLong = `${'k'.repeat(MAX_KEY_BYTES - 1)}é`;
    expect(() => parseApiKeys(`production=${tooLong}`, ['production'], 'FLAGOPS_API_KEYS')).toThrow(ApiKeyError);
    expect(() => parseApiKeys(`production=${tooLong}`, ['production'], 'FLAGOPS_API_KEYS')).toThrow(
      `FLAGOPS_API_KEYS: the key of entry 1 (production) is longer than ${MAX_KEY_BYTES} bytes.`,
    );
  });

  it('are read from X-API-Key or a bearer token', () => {
    expect(presentedKey({ 'x-api-key': A })).toBe(A);
    expect(presentedKey({ authorization: `Bearer ${B}` })).toBe(B);
    expect(presentedKey({ authorization: `Basic ${B}` })).toBeUndefined();
  });
});
