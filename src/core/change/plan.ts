import type { CompiledEnvironment } from '../serving/compile.js';
import { checksumOf } from '../serving/compile.js';
import type { CompiledFlag } from '../serving/compiled.js';
import type { GuardWords } from '../definition/guard-thresholds.js';
import { describeFlagChange } from './describe.js';
import { type SegmentChange, segmentChanges } from './segment-changes.js';

export interface FlagChange {
  key: string;
  kind: 'added' | 'changed' | 'removed';
  /** What the change does to users, in plain words. */
  details: string[];
}

export interface Plan {
  environment: string;
  changes: FlagChange[];
  /** Segments whose conditions change, with the flags that change through them. */
  segments: SegmentChange[];
  unchanged: number;
  upserts: Map<string, string>;
  removals: string[];
  /** Checksum of the desired flags: the new `_meta.checksum`. */
  checksum: string;
  /** The compiled format the desired flags need: the new `_meta.format`. */
  format: number;
  /** The live flags no longer match the checksum the last sync wrote: someone wrote them outside flagops. */
  drift: boolean;
}

export interface LiveFlags {
  flags: ReadonlyMap<string, string>;
  checksum?: string;
}

/** Desired (git) against live (store): what a sync must write. Pure. */
export function planSync(desired: CompiledEnvironment, live: LiveFlags, words?: GuardWords): Plan {
  const changes: FlagChange[] = [];
  const upserts = new Map<string, string>();
  const removals: string[] = [];
  let unchanged = 0;
  const [was, will] = [new Map<string, CompiledFlag | undefined>(), new Map<string, CompiledFlag | undefined>()];
  for (const [key, json] of desired.flags) {
    const current = live.flags.get(key);
    if (current === json) {
      unchanged++;
      continue;
    }
    upserts.set(key, json);
    const before = parse(current);
    was.set(key, before);
    will.set(key, parse(json));
    changes.push({
      key,
      kind: current === undefined ? 'added' : 'changed',
      details:
        current !== undefined && !before
          ? ['replaces a value that is not a flagops flag (written outside flagops)']
          : describeFlagChange(before, parse(json), words),
    });
  }
  for (const key of live.flags.keys()) {
    if (desired.flags.has(key)) continue;
    removals.push(key);
    changes.push({ key, kind: 'removed', details: ['removed'] });
  }
  changes.sort((a, b) => (a.key < b.key ? -1 : 1));
  const drift = live.checksum !== undefined && live.flags.size > 0 && checksumOf(live.flags) !== live.checksum;
  removals.sort();
  const segments = segmentChanges([{ environment: desired.environment, before: was, after: will }]);
  const { checksum, format } = desired;
  return { environment: desired.environment, changes, segments, unchanged, upserts, removals, checksum, format, drift };
}

/** A stored value read back as a compiled flag; undefined for anything else (written outside flagops). */
function parse(json: string | undefined): CompiledFlag | undefined {
  if (json === undefined) return undefined;
  try {
    const value = JSON.parse(json) as Partial<CompiledFlag> | null;
    const looksCompiled =
      typeof value?.key === 'string' &&
      typeof value.enabled === 'boolean' &&
      typeof value.variants === 'object' &&
      value.variants !== null &&
      Array.isArray(value.rules) &&
      typeof value.serve === 'object';
    return looksCompiled ? (value as CompiledFlag) : undefined;
  } catch {
    return undefined;
  }
}

export interface DeleteGuard {
  refused: boolean;
  reason?: string;
}

/** An empty or truncated checkout must not wipe an environment: refuse large deletions unless allowed. */
export function deleteGuard(plan: Plan, liveCount: number, maxShare = 0.25): DeleteGuard {
  const removing = plan.removals.length;
  if (removing === 0 || liveCount === 0) return { refused: false };
  if (removing === liveCount) {
    return { refused: true, reason: `this sync would remove all ${liveCount} flags from ${plan.environment}` };
  }
  if (removing / liveCount > maxShare) {
    return {
      refused: true,
      reason: `this sync would remove ${removing} of ${liveCount} flags (${Math.round((removing / liveCount) * 100)}%) from ${plan.environment}, more than ${Math.round(maxShare * 100)}%`,
    };
  }
  return { refused: false };
}
