import { compileFlag } from '../../../serving/compile.js';
import type { CompiledFlag, CompiledServe } from '../../../serving/compiled.js';
import type { FlagDocument } from '../../../definition/model.js';

/** What an environment serves when everyone gets the same variant, and since when that holds. */
export interface ConstantServe {
  variant: string;
  /** The moment a rollout schedule reached 0% or 100%; undefined when it always held. */
  since?: string;
}

/**
 * Whether a flag serves one variant to every user of one environment at `now`. A pending rollout
 * stage means it will change, so it is not constant.
 */
export function constantServe(
  flag: CompiledFlag,
  now: number,
  /** What a prerequisite serves to everyone, or undefined when it differs by user (or is unknown). */
  prerequisite: (key: string) => ConstantServe | undefined = () => undefined,
): ConstantServe | undefined {
  if (!flag.enabled) return { variant: flag.offVariant };
  const own = ownConstant(flag, now);
  let allMet = true;
  for (const r of flag.requires ?? []) {
    const other = prerequisite(r.flag);
    // A prerequisite that fails for everyone gives everyone the offVariant, whatever the rules say.
    if (other && other.variant !== r.variant) return { variant: flag.offVariant, ...(other.since ? { since: other.since } : {}) };
    if (!other) allMet = false;
  }
  // With a prerequisite that holds for some users only, only an offVariant for all is constant.
  if (!allMet) return own?.variant === flag.offVariant ? own : undefined;
  return own;
}

/**
 * What each flag of an environment serves to everyone (for the prerequisites of others), or
 * undefined; memoised, and a cycle (which validation refuses) is simply not constant.
 */
export function constantsIn(flags: ReadonlyArray<{ key: string; definition: FlagDocument }>, environment: string, now: number): Lookup {
  // Asked once per flag and environment by the scan: one lookup per list of flags, not one each
  // (a map of 10,000 flags built 20,000 times took the scan 30 s).
  const perList = lookups.get(flags) ?? new Map<string, Lookup>();
  lookups.set(flags, perList);
  const id = `${environment}\0${now}`;
  const known = perList.get(id);
  if (known) return known;
  const lookup = newLookup(flags, environment, now);
  perList.set(id, lookup);
  return lookup;
}

type Lookup = (key: string) => ConstantServe | undefined;
const lookups = new WeakMap<object, Map<string, Lookup>>();

function newLookup(flags: ReadonlyArray<{ key: string; definition: FlagDocument }>, environment: string, now: number): Lookup {
  const byKey = new Map(flags.map((f) => [f.key, f.definition]));
  const done = new Map<string, ConstantServe | undefined>();
  const open = new Set<string>();
  const of = (key: string): ConstantServe | undefined => {
    if (done.has(key)) return done.get(key);
    const definition = byKey.get(key);
    if (!definition || open.has(key)) return undefined;
    open.add(key);
    const constant = constantServe(compileFlag(key, definition, environment), now, of);
    open.delete(key);
    done.set(key, constant);
    return constant;
  };
  return of;
}

function ownConstant(flag: CompiledFlag, now: number): ConstantServe | undefined {
  const fallthrough = serveConstant(flag.serve, flag.offVariant, now);
  if (!fallthrough) return undefined;
  let since = fallthrough.since;
  for (const rule of flag.rules) {
    const served = serveConstant(rule.serve, flag.offVariant, now);
    if (!served || served.variant !== fallthrough.variant) return undefined;
    if (served.since && (!since || served.since > since)) since = served.since;
  }
  return { variant: fallthrough.variant, ...(since ? { since } : {}) };
}

function serveConstant(serve: CompiledServe, offVariant: string, now: number): ConstantServe | undefined {
  if ('split' in serve) {
    const served = serve.split.filter(([, weight]) => weight > 0);
    return served.length === 1 ? { variant: served[0]![0] } : undefined;
  }
  if ('percentage' in serve) return whole(serve.percentage, serve.variant, offVariant);
  if ('stages' in serve) {
    let current: { at: string; percentage: number } | undefined;
    for (const stage of serve.stages) {
      if (Date.parse(stage.at) > now) return undefined;
      if (!current || stage.at >= current.at) current = stage;
    }
    if (!current) return undefined;
    const served = whole(current.percentage, serve.variant, offVariant);
    return served && { ...served, since: current.at };
  }
  return { variant: serve.variant };
}

function whole(percentage: number, variant: string, offVariant: string): ConstantServe | undefined {
  if (percentage >= 100) return { variant };
  if (percentage <= 0) return { variant: offVariant };
  return undefined;
}
