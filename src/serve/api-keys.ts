import { timingSafeEqual } from 'node:crypto';

/** Keys shorter than this are refused: a guessable key guards nothing. */
export const MIN_KEY_LENGTH = 16;
/** Keys are compared as this many bytes, whatever their length, so the time of a comparison says nothing about any key. */
export const MAX_KEY_BYTES = 256;

export class ApiKeyError extends Error {}

export interface ApiKeys {
  /** The environment a presented key belongs to, or undefined. Compares with every key, in constant time. */
  environmentOf(presented: string | undefined): string | undefined;
  readonly environments: readonly string[];
}

/**
 * Reads `production=<key>,staging=<key>` (FLAGOPS_API_KEYS) or the same one per line (a keys file,
 * where # starts a comment). An environment may have several keys (to rotate one). The keys are
 * never part of an error message: only the entry's position and environment are.
 */
export function parseApiKeys(text: string, known: readonly string[], where: string): ApiKeys {
  const entries: Array<{ environment: string; padded: Buffer; bytes: number }> = [];
  const parts = text
    .split(/[\n,]/)
    .map((part) => part.replace(/#.*$/, '').trim())
    .filter(Boolean);
  parts.forEach((part, i) => {
    const at = part.indexOf('=');
    const environment = at > 0 ? part.slice(0, at).trim() : '';
    const key = at > 0 ? part.slice(at + 1).trim() : '';
    if (!environment || !key) throw new ApiKeyError(`${where}: entry ${i + 1} is not <environment>=<key>.`);
    if (!known.includes(environment)) {
      throw new ApiKeyError(`${where}: entry ${i + 1} names environment "${environment}", which is not served (${known.join(', ')}).`);
    }
    if (key.length < MIN_KEY_LENGTH) {
      throw new ApiKeyError(`${where}: the key of entry ${i + 1} (${environment}) has fewer than ${MIN_KEY_LENGTH} characters; use a random one (openssl rand -hex 24).`);
    }
    const bytes = Buffer.byteLength(key);
    if (bytes > MAX_KEY_BYTES) throw new ApiKeyError(`${where}: the key of entry ${i + 1} (${environment}) is longer than ${MAX_KEY_BYTES} bytes.`);
    const padded = Buffer.alloc(MAX_KEY_BYTES);
    padded.write(key);
    entries.push({ environment, padded, bytes });
  });
  if (entries.length === 0) throw new ApiKeyError(`${where} holds no key.`);
  // One buffer for the key presented, reused: requests are handled one at a time and the comparison is synchronous.
  const given = Buffer.alloc(MAX_KEY_BYTES);
  return {
    environments: [...new Set(entries.map((e) => e.environment))],
    environmentOf(presented) {
      if (presented === undefined || presented === '') return undefined;
      // Every entry compared over the same fixed width, zero-padded, and the lengths apart: neither a key's length nor
      // the position of a match shows in the timing. (A SHA-256 digest per request did the same at several times the
      // cost: OpenSSL 3 looks the algorithm up on every hash.)
      const bytes = Buffer.byteLength(presented);
      given.fill(0);
      given.write(presented);
      let found: string | undefined;
      for (const entry of entries) {
        const same = timingSafeEqual(entry.padded, given);
        if (same && entry.bytes === bytes && found === undefined) found = entry.environment;
      }
      return found;
    },
  };
}

/** The key a request presents: `X-API-Key`, or `Authorization: Bearer <key>` (both are OFREP's). */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (bearer) return bearer[1];
  }
  return undefined;
}
