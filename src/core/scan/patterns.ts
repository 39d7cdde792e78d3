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
}

export interface ReferencePatterns {
  calls: CallPattern[];
  /** Hooks returning an object of all flags: `const { newCheckout } = useFlags()`. */
  hooks: string[];
  /** Names of flag-map objects: `featureFlags[FLAGS.X]`, `flags.newCheckout`. */
  maps: string[];
}

const call = (name: string, strict = true): CallPattern => ({ name, argument: 0, strict });

const openFeatureTypes = ['Boolean', 'String', 'Number', 'Object'];

/** The flagops SDK, OpenFeature server and web clients, and the React hooks people use with them. */
export const DEFAULT_PATTERNS: ReferencePatterns = {
  calls: [
    call('isEnabled'),
    call('getVariant'),
    call('getValue', false),
    call('evaluate', false),
    ...openFeatureTypes.flatMap((t) => [call(`get${t}Value`), call(`get${t}Details`)]),
    ...openFeatureTypes.flatMap((t) => [call(`use${t}FlagValue`), call(`use${t}FlagDetails`)]),
    call('useFlag'),
    call('useVariant'),
  ],
  hooks: ['useFlags'],
  maps: [],
};

export interface ScanPatternConfig {
  defaults: boolean;
  calls: { name: string; argument?: number; strict?: boolean }[];
  hooks: string[];
  maps: string[];
}

/** The configured patterns, over the defaults unless the config turns them off. A later entry wins. */
export function referencePatterns(config: ScanPatternConfig): ReferencePatterns {
  const base = config.defaults ? DEFAULT_PATTERNS : { calls: [], hooks: [], maps: [] };
  const calls = new Map(base.calls.map((c) => [c.name, c]));
  for (const c of config.calls) calls.set(c.name, { name: c.name, argument: c.argument ?? 0, strict: c.strict ?? true });
  return {
    calls: [...calls.values()],
    hooks: [...new Set([...base.hooks, ...config.hooks])],
    maps: [...new Set([...base.maps, ...config.maps])],
  };
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
