import { describe, expect, it } from 'vitest';
import { ApiKeyError, MAX_KEY_BYTES, parseApiKeys, presentedKey } from '../../src/serve/api-keys.js';

const A = 'prod-7f3c9a1e5b2d4c6f8a0b';
const B = 'prod-rotated-0000000000000000';
const C = 'stag-ключ-для-тестов-ß-✓'; // multi-byte

describe('API keys', () => {
  const keys = parseApiKeys(`production=${A}\nproduction=${B} # rotating\nstaging=${C}`, ['production', 'staging'], 'keys.txt', 'lines');

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

describe('API keys as written', () => {
  const served = ['production', 'staging'];

  it('are taken whole: a key with # (and, in a file, a comma or =) opens its environment, its prefix does not', () => {
    const hashed = 'k3y#with#hashes-0123456789';
    const env = parseApiKeys(`production=${hashed},staging=${C}`, served, 'FLAGOPS_API_KEYS');
    expect(env.environmentOf(hashed)).toBe('production');
    expect(env.environmentOf('k3y')).toBeUndefined();
    const file = parseApiKeys(`# keys\nproduction=${hashed}\nstaging=a,b=c#d-0123456789abcdef # for the app\n`, served, 'keys.txt', 'lines');
    expect(file.environmentOf(hashed)).toBe('production');
    expect(file.environmentOf('a,b=c#d-0123456789abcdef')).toBe('staging');
    const base64 = 'c2VjcmV0LWtleS0wMTIzNDU2Nzg5YWJj==';
    expect(parseApiKeys(`staging=${base64}`, served, 'FLAGOPS_API_KEYS').environmentOf(base64)).toBe('staging');
  });

  it('are refused with an error that shows nothing of the entry: no environment and "=", or a key with a space', () => {
    const secret = 'c2VjcmV0LWtleS0wMTIzNDU2Nzg5YWJj';
    const cases: Array<[string, string]> = [
      [secret, 'FLAGOPS_API_KEYS: entry 1 has no "=": each entry is <environment>=<key>, the environment one of production, staging.'],
      [`${secret}==`, 'FLAGOPS_API_KEYS: entry 1 does not start with a served environment and "=": each entry is <environment>=<key>, the environment one of production, staging.'],
      [`abc=${secret}`, 'FLAGOPS_API_KEYS: entry 1 does not start with a served environment and "=": each entry is <environment>=<key>, the environment one of production, staging.'],
      [`production=${secret} ${secret}`, 'FLAGOPS_API_KEYS: the key of entry 1 (production) holds a space; a key is one word (openssl rand -hex 24).'],
    ];
    for (const [text, message] of cases) {
      let error: Error | undefined;
      try {
        parseApiKeys(text, served, 'FLAGOPS_API_KEYS');
      } catch (e) {
        error = e as Error;
      }
      expect(error).toBeInstanceOf(ApiKeyError);
      expect(error!.message).toBe(message);
      expect(error!.message).not.toContain(secret.slice(0, 8));
      expect(error!.message).not.toContain('abc');
    }
  });
});
