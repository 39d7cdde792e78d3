import { COMPILED_FORMAT } from '../compiled.js';
import { cycleEdges } from '../../shared/cycles.js';
import { type BrokenFlag, held, isBroken, overridden, parseStoredFlag, type PreparedFlag } from './prepare.js';

/** What a reader holds of one environment: every flag prepared, from one consistent read. */
export interface Snapshot {
  revision: number;
  commit: string;
  syncedAt: string;
  flags: ReadonlyMap<string, PreparedFlag | BrokenFlag>;
  /** The stored JSON each flag was prepared from: a reload re-prepares only what changed. */
  sources: ReadonlyMap<string, string>;
  /** flag → overriding variant (flagops kill). */
  overrides: ReadonlyMap<string, string>;
  /** flag → the instant (ISO) from which its rollout stages wait for a guard (flagops guard). */
  holds: ReadonlyMap<string, string>;
}

export interface StoredState {
  /** `problem`: what is wrong with a `_meta` flagops did not write (then `revision` is -1). */
  meta: { revision: number; commit: string; syncedAt: string; format: number; problem?: string } | null;
  flags: ReadonlyMap<string, string>;
  /** Kills (`variant`) and holds (`hold`), as `_overrides` holds them. */
  overrides: ReadonlyMap<string, { variant: string } | { hold: string }>;
}

export class UnsupportedFormat extends Error {}

export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  revision: 0,
  commit: '',
  syncedAt: '',
  flags: new Map(),
  sources: new Map(),
  overrides: new Map(),
  holds: new Map(),
});

/**
 * A snapshot of stored state. Flags whose JSON did not change since `previous` keep their prepared
 * form; a flag that cannot be read becomes a BrokenFlag (served as PARSE_ERROR), never an exception.
 * Throws UnsupportedFormat for a store written by a newer flagops (the caller keeps what it has).
 */
export function buildSnapshot(state: StoredState, previous: Snapshot = EMPTY_SNAPSHOT): Snapshot {
  if (state.meta && state.meta.format > COMPILED_FORMAT) {
    throw new UnsupportedFormat(`the store holds format ${state.meta.format}; this flagops reads formats up to ${COMPILED_FORMAT}: upgrade flagops`);
  }
  const flags = new Map<string, PreparedFlag | BrokenFlag>();
  const sources = new Map<string, string>();
  const overrides = new Map<string, string>();
  const holds = new Map<string, string>();
  for (const [key, override] of state.overrides) {
    const o = override as { variant?: unknown; hold?: unknown } | null;
    if (typeof o?.variant === 'string') overrides.set(key, o.variant);
    else if (typeof o?.hold === 'string' && !Number.isNaN(Date.parse(o.hold))) holds.set(key, o.hold);
  }
  // Flags with prerequisites find them in this snapshot's map when they are evaluated: a kill of a
  // prerequisite (a new snapshot) reaches its dependents at once. They are linked anew every time.
  const links = { get: (key: string) => flags.get(key) };
  for (const [key, json] of state.flags) {
    sources.set(key, json);
    const same = previous.sources.get(key) === json && !previous.overrides.has(key) && previous.holds.get(key) === holds.get(key);
    const before = same ? previous.flags.get(key) : undefined;
    // A flag with prerequisites is linked anew; an unreadable one is read again (it may have been
    // unreadable only for a cycle that this state no longer has).
    const reused = before !== undefined && !isBroken(before) && before.requires === undefined ? before : undefined;
    let flag = reused ?? parseStoredFlag(key, json, links);
    const variant = overrides.get(key);
    const hold = holds.get(key);
    if (variant !== undefined && !isBroken(flag)) flag = overridden(flag, variant);
    else if (hold !== undefined && !isBroken(flag) && reused === undefined) flag = held(flag, Date.parse(hold));
    flags.set(key, flag);
  }
  for (const [key, cycle] of prerequisiteCycles(flags, overrides)) {
    flags.set(key, { key, error: `its prerequisites form a cycle (${cycle.join(' → ')}); fix the flag files and sync` });
  }
  const meta = state.meta ?? { revision: 0, commit: '', syncedAt: '' };
  return Object.freeze({ revision: meta.revision, commit: meta.commit, syncedAt: meta.syncedAt, flags, sources, overrides, holds });
}

/**
 * Flags whose prerequisites lead back to them, with one such cycle each. Validation refuses cycles in
 * git; a store written by hand may still hold one, and it must not loop: those flags are unreadable.
 * A killed flag does not look at its prerequisites, so it ends a chain.
 */
function prerequisiteCycles(flags: ReadonlyMap<string, PreparedFlag | BrokenFlag>, overrides: ReadonlyMap<string, string>): Map<string, string[]> {
  const next = (key: string): readonly string[] => {
    const flag = flags.get(key);
    if (!flag || isBroken(flag) || overrides.has(key) || !flag.requires) return [];
    return flag.requires.map((r) => r.flag);
  };
  const found = new Map<string, string[]>();
  const linked = [...flags].filter(([, flag]) => !isBroken(flag) && flag.requires).map(([key]) => key);
  for (const edge of cycleEdges(linked, next)) if (!found.has(edge.from)) found.set(edge.from, edge.cycle);
  return found;
}
