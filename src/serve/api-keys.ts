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
 * Reads `production=<key>,staging=<key>` (FLAGOPS_API_KEYS) or one `environment=<key>` per line
 * (a keys file, `format: 'lines'`, where # at the start of a line or after a space starts a
 * comment). A key is taken whole, whatever it holds (`#`, `=`, and `,` in a file) but spaces,
 * which are refused; an entry that does not start with
 * a served environment and `=` is refused. An environment may have several keys (to rotate one).
 * Nothing of what an entry holds is ever part of an error message: only its position, and the
 * environment when it is one of the served ones.
 */
export function parseApiKeys(text: string, known: readonly string[], where: string, format: 'list' | 'lines' = 'list'): ApiKeys {
  const entries: Array<{ environment: string; padded: Buffer; bytes: number }> = [];
  // In a file, # starts a comment at the start of a line or after a space: a key's own # stays in it.
  const parts = (format === 'lines' ? text.split(/\r?\n/).map((line) => line.replace(/(^|\s)#.*$/, '')) : text.split(/[\r\n,]/))
    .map((part) => part.trim())
    .filter(Boolean);
  parts.forEach((part, i) => {
    // The environment is a served name before the first "=": a key may hold "=" itself (base64 ends with it).
    const environment = known.find((name) => part.startsWith(`${name}=`));
    if (environment === undefined) {
      const what = part.includes('=') ? 'does not start with a served environment and "="' : 'has no "="';
      throw new ApiKeyError(`${where}: entry ${i + 1} ${what}: each entry is <environment>=<key>, the environment one of ${known.join(', ')}.`);
    }
    const key = part.slice(environment.length + 1).trim();
    if (!key) throw new ApiKeyError(`${where}: entry ${i + 1} (${environment}) has no key after "=".`);
    if (/\s/.test(key)) throw new ApiKeyError(`${where}: the key of entry ${i + 1} (${environment}) holds a space; a key is one word (openssl rand -hex 24).`);
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
