import { FlagopsError } from '../errors.js';

/** What a store records about the state it holds (the `_meta` hash in Redis). */
export interface StoreMeta {
  /** +1 for every applied sync or override change. */
  revision: number;
  /** The git commit the flags were synced from. */
  commit: string;
  syncedAt: string;
  /** checksumOf(flags) at sync time: a mismatch later means someone wrote flags outside flagops. */
  checksum: string;
  format: number;
  /** The environment that synced this store (absent in stores written before flagops recorded it). */
  environment?: string;
  /** What is wrong with `_meta` when it was not written by flagops (then `revision` is CORRUPT_REVISION). */
  problem?: string;
}

/** The revision of a store whose `_meta.revision` is not a whole number: a write that expects it repairs it (to 1). */
export const CORRUPT_REVISION = -1;

/** `_meta.revision` as stored → its number (0 when there is none), or undefined when it is not a whole number. */
export function revisionOf(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return 0;
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** What is wrong with a stored `_meta.revision` that is not a whole number, the same for every store. */
export const revisionProblem = (raw: unknown) =>
  raw === undefined ? '_meta.revision is missing' : `_meta.revision is ${JSON.stringify(raw)?.slice(0, 40)}, not a whole number`;

/** The revision a guarded write finds live matches the one it was planned against (a corrupt one included). */
export const revisionMatches = (live: number | undefined, expected: number) =>
  expected === CORRUPT_REVISION ? live === undefined : live === expected;

/** The revision a write leaves: one more, or 1 when it repairs a corrupt one. */
export const nextRevision = (expected: number) => (expected === CORRUPT_REVISION ? 1 : expected + 1);

/** An emergency override set outside git (`flagops kill`): the SDK serves `variant` at once. */
export interface Override {
  variant: string;
  reason: string;
  actor: string;
  at: string;
}

/**
 * A guarded rollout held by `flagops guard`: its stages from `hold` on do not begin until the
 * guard passes and clears it. Kept in `_overrides` beside kills (a kill replaces it); readers of
 * format 3 evaluate the flag's stages as if the clock stood just before `hold`.
 */
export interface HoldOverride {
  hold: string;
  /** The guards that have not passed (metric names), for people. */
  guard: string;
  reason: string;
  actor: string;
  at: string;
}

export type StoredOverride = Override | HoldOverride;

export const isHold = (o: StoredOverride | undefined): o is HoldOverride => o !== undefined && typeof (o as HoldOverride).hold === 'string';
export const isKill = (o: StoredOverride | undefined): o is Override => o !== undefined && typeof (o as Override).variant === 'string';

export interface LiveState {
  meta: StoreMeta | null;
  /** key → compiled flag JSON as stored. */
  flags: Map<string, string>;
  overrides: Map<string, StoredOverride>;
}

/** What a guard compared, for the audit: enough to check its decision by hand. */
export interface GuardRecord {
  metric: string;
  query: string;
  window: number;
  variant: { name: string; value: number | null; samples: number | null };
  control: { name: string; value: number | null; samples: number | null };
  decision: 'hold' | 'pass' | 'breach';
  why: string;
}

export interface AuditEntry {
  kind: 'sync' | 'kill' | 'unkill' | 'hold' | 'release';
  actor: string;
  at: string;
  commit?: string;
  added?: string[];
  changed?: string[];
  removed?: string[];
  /** Present when the lists above were cut to their first 1,000 keys. */
  counts?: { added: number; changed: number; removed: number };
  flag?: string;
  /** sync --allow-dirty: the files that differed from `commit`. */
  dirty?: string[];
  /** kill: the variant it serves. */
  variant?: string;
  reason?: string;
  /** hold: the instant from which stages wait. */
  hold?: string;
  /** kill, hold and release by flagops guard: what each guard compared. */
  guards?: GuardRecord[];
}

/** How many audit entries are read back to check the live overrides against (the stream keeps about 10,000). */
export const AUDIT_SCAN = 20_000;

/** The change message published after every applied write (channel `<prefix>:_changes`). */
export interface ChangeMessage {
  revision: number;
  commit: string;
  changed: string[];
}

/** Evaluations an SDK counted for one flag (opt-in usage telemetry, `<prefix>:_usage`). */
export interface FlagUsage {
  /** When an SDK last evaluated it (ms since the epoch), to its flush interval. */
  last?: number;
  /** Evaluations per variant. */
  counts: Record<string, number>;
}

/** The `_usage` hash: `count:<flag>:<variant>` → evaluations, `last:<flag>` → ms. Keys and variants hold no ':'. */
export function parseUsage(hash: Record<string, string>): Map<string, FlagUsage> {
  const usage = new Map<string, FlagUsage>();
  const of = (flag: string) => {
    let u = usage.get(flag);
    if (!u) usage.set(flag, (u = { counts: {} }));
    return u;
  };
  for (const [field, value] of Object.entries(hash)) {
    const n = Number(value);
    if (!Number.isFinite(n)) continue;
    const [kind, flag, variant] = field.split(':');
    if (kind === 'last' && flag) of(flag).last = n;
    else if (kind === 'count' && flag && variant) of(flag).counts[variant] = n;
  }
  return usage;
}

export interface SyncWrite {
  /** The live revision the plan was computed against (0 for an empty store). */
  expectedRevision: number;
  upserts: ReadonlyMap<string, string>;
  removals: readonly string[];
  meta: Omit<StoreMeta, 'revision'>;
  audit: AuditEntry;
  /** Optional one-GET-per-flag keys for simple readers: set these, delete those. */
  simple?: { set: ReadonlyMap<string, string>; remove: readonly string[] };
  /** Overrides set in the same transaction: the holds a guarded rollout starts with. */
  overrides?: ReadonlyMap<string, StoredOverride>;
}

export interface OverrideWrite {
  expectedRevision: number;
  flag: string;
  /** undefined clears the override. */
  override: Override | undefined;
  audit: AuditEntry;
  /** The flag's simple key (`<prefix>:<flag>`) in the same transaction: its new JSON, or null to delete it. */
  simple?: string | null;
}

/** Several flags' overrides (kills and holds) in one transaction: one guard run in one environment. */
export interface OverridesWrite {
  expectedRevision: number;
  /** flag → its new override, or undefined to clear it. */
  set: ReadonlyMap<string, StoredOverride | undefined>;
  audit: AuditEntry[];
  /** Simple keys (`<prefix>:<flag>`) in the same transaction: new JSON, or null to delete. */
  simple?: ReadonlyMap<string, string | null>;
}

export type WriteResult = { status: 'applied'; revision: number } | { status: 'conflict'; liveRevision: number };

/**
 * Where an environment's flags live. Every write is atomic (a reader sees all of it or none) and
 * guarded by the revision it was planned against, so concurrent writers never interleave.
 */
export interface FlagStore {
  /** For messages: where this is, with any password removed. */
  readonly label: string;
  read(): Promise<LiveState>;
  writeSync(write: SyncWrite): Promise<WriteResult>;
  writeOverride(write: OverrideWrite): Promise<WriteResult>;
  writeOverrides(write: OverridesWrite): Promise<WriteResult>;
  readAudit(count: number): Promise<AuditEntry[]>;
  /** The simple per-flag keys (`<prefix>:<key>`) that exist among these flag keys. */
  readSimple(keys: readonly string[]): Promise<Map<string, string>>;
  /** What SDKs with usage turned on have counted (empty when none has). */
  readUsage(): Promise<Map<string, FlagUsage>>;
  close(): Promise<void>;
}

/** The store cannot be reached or read: exit 2. The message names the store by its label only. */
export class StoreUnavailable extends FlagopsError {}

/** One flag's override as a batch of one. */
export function singleOverride(write: OverrideWrite): OverridesWrite {
  return {
    expectedRevision: write.expectedRevision,
    set: new Map([[write.flag, write.override]]),
    audit: [write.audit],
    ...(write.simple !== undefined ? { simple: new Map([[write.flag, write.simple]]) } : {}),
  };
}
