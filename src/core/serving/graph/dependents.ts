import type { CompiledRequirement } from '../compiled.js';
import { isBroken, parseStoredFlag } from '../evaluate/prepare.js';

/** What the dependents lookups need of a flag: its prerequisites and its offVariant. */
export interface Dependable {
  requires?: readonly CompiledRequirement[];
  offVariant: string;
}

/** Who requires whom: flag → the flags that name it in `requires`. */
function requiredBy(flags: ReadonlyMap<string, Dependable>): Map<string, Array<{ key: string; variant: string }>> {
  const out = new Map<string, Array<{ key: string; variant: string }>>();
  for (const [key, flag] of flags) {
    for (const r of flag.requires ?? []) out.set(r.flag, [...(out.get(r.flag) ?? []), { key, variant: r.variant }]);
  }
  return out;
}

/**
 * The flags that serve their offVariant to everyone once `key` serves `variant` to everyone (a kill):
 * each one's prerequisite on it (directly, or through a flag it turned off) wants another variant.
 * `through` is the prerequisite that fails for it. In the order they are reached.
 */
export function turnedOffBy(flags: ReadonlyMap<string, Dependable>, key: string, variant: string): Array<{ key: string; through: string }> {
  const by = requiredBy(flags);
  const forced = new Map<string, string>([[key, variant]]);
  const out: Array<{ key: string; through: string }> = [];
  const queue = [key];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head]!;
    for (const dependent of by.get(current) ?? []) {
      const flag = flags.get(dependent.key);
      if (!flag || forced.has(dependent.key) || forced.get(current) === dependent.variant) continue;
      forced.set(dependent.key, flag.offVariant);
      out.push({ key: dependent.key, through: current });
      queue.push(dependent.key);
    }
  }
  return out;
}

/** Stored flags (JSON) as these lookups read them; a value that is not a readable flag is left out. */
export function storedDependables(flags: ReadonlyMap<string, string>): Map<string, Dependable> {
  const out = new Map<string, Dependable>();
  for (const [key, json] of flags) {
    const flag = parseStoredFlag(key, json);
    if (!isBroken(flag)) out.set(key, { offVariant: flag.offVariant, ...(flag.requires ? { requires: flag.requires } : {}) });
  }
  return out;
}
