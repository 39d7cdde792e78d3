import { DEFAULT_ON_VARIANT, trueVariant } from '../../definition/model.js';
import type { LoadedFlag } from '../../definition/validate/validate-flags.js';
import type { LoadedSegment } from '../../definition/validate/validate-segments.js';

export interface SegmentUsers {
  segment: string;
  file: string;
  owner: string;
  description: string;
  /** Flags whose rules match it, with the environments; `through` when only via other segments. */
  flags: Array<{ flag: string; environments: string[]; through?: string[] }>;
}

export interface FlagDependents {
  flag: string;
  file: string;
  /** Flags that name it in requires, with the variant they need and where (`*` for every environment). */
  requiredBy: Array<{ flag: string; variant: string; environments: string[] }>;
  /** Flags that depend on it only through others. */
  indirect: string[];
}

/** Which flags use each segment (directly or through segments that name it). Pure. */
export function segmentUsers(flags: readonly LoadedFlag[], segments: readonly LoadedSegment[]): SegmentUsers[] {
  const byKey = new Map(segments.map((s) => [s.key, s]));
  // For each segment, every segment it takes in (itself included), with the path to it.
  const within = (key: string): Map<string, string[]> => {
    const out = new Map<string, string[]>([[key, []]]);
    const queue = [key];
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head]!;
      for (const use of byKey.get(current)?.uses ?? []) {
        if (out.has(use.key)) continue;
        out.set(use.key, [...out.get(current)!, current]);
        queue.push(use.key);
      }
    }
    return out;
  };
  const users = new Map<string, Map<string, { environments: Set<string>; through?: string[] }>>();
  for (const flag of flags) {
    for (const use of flag.uses.segments) {
      for (const [segment, path] of within(use.key)) {
        const perFlag = users.get(segment) ?? new Map();
        users.set(segment, perFlag);
        const entry = perFlag.get(flag.key) ?? { environments: new Set<string>(), ...(path.length > 0 ? { through: path } : {}) };
        // A direct use wins over one through other segments.
        if (path.length === 0) delete entry.through;
        entry.environments.add(use.environment);
        perFlag.set(flag.key, entry);
      }
    }
  }
  return [...segments]
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map((s) => ({
      segment: s.key,
      file: s.file,
      owner: s.definition.owner,
      description: s.definition.description,
      flags: [...(users.get(s.key) ?? new Map())]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([flag, e]) => ({ flag, environments: [...e.environments].sort(), ...(e.through ? { through: e.through } : {}) })),
    }));
}

/** Each flag that others require, with its direct and indirect dependents. Pure. */
export function flagDependents(flags: readonly LoadedFlag[]): FlagDependents[] {
  const byKey = new Map(flags.map((f) => [f.key, f]));
  const direct = new Map<string, FlagDependents['requiredBy']>();
  for (const flag of flags) {
    for (const use of flag.uses.requires) {
      const list = direct.get(use.flag) ?? [];
      const target = byKey.get(use.flag);
      const variant = use.variant ?? (target && trueVariant(target.definition)) ?? DEFAULT_ON_VARIANT;
      const where = use.environment ?? '*';
      const existing = list.find((d) => d.flag === flag.key && d.variant === variant);
      if (existing) existing.environments.push(where);
      else list.push({ flag: flag.key, variant, environments: [where] });
      direct.set(use.flag, list);
    }
  }
  const out: FlagDependents[] = [];
  for (const [key, requiredBy] of [...direct].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const seen = new Set([key, ...requiredBy.map((d) => d.flag)]);
    const indirect: string[] = [];
    const queue = requiredBy.map((d) => d.flag);
    for (let head = 0; head < queue.length; head++) {
      for (const d of direct.get(queue[head]!) ?? []) {
        if (seen.has(d.flag)) continue;
        seen.add(d.flag);
        indirect.push(d.flag);
        queue.push(d.flag);
      }
    }
    out.push({ flag: key, file: byKey.get(key)?.file ?? '', requiredBy, indirect });
  }
  return out;
}

/** flag key → the flags that name it in `requires` (in any environment), sorted. */
export function requiredBy(flags: readonly LoadedFlag[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const flag of flags) for (const use of flag.uses.requires) out.set(use.flag, (out.get(use.flag) ?? new Set()).add(flag.key));
  return new Map([...out].map(([key, set]) => [key, [...set].sort()]));
}
