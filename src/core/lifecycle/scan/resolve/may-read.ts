import type { Reference } from './resolve.js';

/**
 * Whether a dynamic read may read `key`: the key is written as a string in its file (a list of
 * keys looped over), or the part of its key expression that is written starts the key
 * (`checkout-${x}`).
 */
export function mayRead(ref: Reference, key: string, text: string): boolean {
  if ([`'${key}'`, `"${key}"`, `\`${key}\``].some((q) => text.includes(q))) return true;
  const written = /^[`'"]([^`'"$]{2,})/.exec(ref.expression ?? '')?.[1];
  return written !== undefined && key.startsWith(written);
}
