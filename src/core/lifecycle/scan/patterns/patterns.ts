import type { ScanLanguage } from '../../../definition/config-choices.js';

/**
 * What the scanner counts as reading a flag. Calls are matched by the function or method
 * name (`isEnabled(…)`, `client.getBooleanValue(…)`), with the key at `argument`.
 */
export interface CallPattern {
  name: string;
  /** 0-based position of the key among the arguments. */
  argument: number;
  /**
   * Strict patterns report keys that match no flag (orphaned) and keys they cannot resolve
   * (dynamic). Lenient ones are for common names such as evaluate: only keys that match a
   * defined flag count, anything else is someone else's call.
   */
  strict: boolean;
  /** Set when the scanner inferred the pattern from a wrapper function: where that function is. */
  wrapper?: { file: string; line: number; column: number; calls: string };
  /** Named in scan.calls: the user's word, so no look-alike rule drops its calls. */
  configured?: true;
  /** Only in this language: an SDK whose name another language's SDK uses with the key elsewhere (Go's context comes first). */
  language?: ScanLanguage;
}

/** A JSX element that reads a flag from an attribute: `<IfFeatureEnabled feature="new-ui">`. */
export interface JsxPattern {
  component: string;
  attribute: string;
  strict: boolean;
  configured?: true;
}

export interface ReferencePatterns {
  calls: CallPattern[];
  /** Hooks returning an object of all flags: `const { newCheckout } = useFlags()`. */
  hooks: string[];
  /** Names of flag-map objects: `featureFlags[FLAGS.X]`, `flags.newCheckout`. */
  maps: string[];
  jsx: JsxPattern[];
  /** Hooks and maps named in the configuration (not only by a preset). */
  configured?: string[];
}

/**
 * Names too common to become patterns when inferred from a wrapper: `get(key)` on some class
 * would turn every Map#get in the code base into a flag reference.
 */
export const TOO_GENERIC_FOR_WRAPPERS = new Set([
  'get', 'set', 'has', 'delete', 'add', 'call', 'apply', 'bind', 'then', 'catch', 'finally', 'push', 'map',
  'filter', 'find', 'some', 'every', 'includes', 'emit', 'on', 'off', 'once', 'send', 'log', 'debug', 'info',
  'warn', 'error', 'run', 'exec', 'test', 'check', 'is', 'value', 'read', 'write', 'load', 'fetch', 'require',
  'resolve', 'reject', 'next', 'use', 'handle', 'render', 'update', 'create', 'toString', 'valueOf',
]);

/** Why a parameter passed into a flag call by a function with a common name stays dynamic. */
export const tooCommon = (name: string, argument: number) =>
  `it is a parameter of ${name}(), a name too common for flagops to follow as a flag helper (add { name: ${name}, argument: ${argument} } to scan.calls if it is one)`;

const callsCache = new WeakMap<ReferencePatterns, Map<ScanLanguage, Map<string, CallPattern>>>();

/** The call patterns that apply in a language, by name: one made for the language wins over one for every language. */
export function callsIn(patterns: ReferencePatterns, language: ScanLanguage): ReadonlyMap<string, CallPattern> {
  // Asked once per file: the same patterns give the same map.
  const byLanguage = callsCache.get(patterns) ?? new Map<ScanLanguage, Map<string, CallPattern>>();
  callsCache.set(patterns, byLanguage);
  const known = byLanguage.get(language);
  if (known) return known;
  const out = new Map<string, CallPattern>();
  byLanguage.set(language, out);
  for (const pattern of patterns.calls) {
    if (pattern.language !== undefined && pattern.language !== language) continue;
    if (pattern.language !== undefined || !out.has(pattern.name)) out.set(pattern.name, pattern);
  }
  return out;
}
