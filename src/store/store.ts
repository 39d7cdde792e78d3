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
}

/** An emergency override set outside git (`flagops kill`): the SDK serves `variant` at once. */
export interface Override {
  variant: string;
  reason: string;
  actor: string;
  at: string;
}

export interface LiveState {
  meta: StoreMeta | null;
  /** key → compiled flag JSON as stored. */
  flags: Map<string, string>;
  overrides: Map<string, Override>;
}

export interface AuditEntry {
  kind: 'sync' | 'kill' | 'unkill';
  actor: string;
  at: string;
  commit?: string;
  added?: string[];
  changed?: string[];
  removed?: string[];
  /** Present when the lists above were cut to their first 1,000 keys. */
  counts?: { added: number; changed: number; removed: number };
  flag?: string;
  reason?: string;
}

/** The change message published after every applied write (channel `<prefix>:_changes`). */
export interface ChangeMessage {
  revision: number;
  commit: string;
  changed: string[];
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
}

export interface OverrideWrite {
  expectedRevision: number;
  flag: string;
  /** undefined clears the override. */
  override: Override | undefined;
  audit: AuditEntry;
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
  readAudit(count: number): Promise<AuditEntry[]>;
  /** The simple per-flag keys (`<prefix>:<key>`) that exist among these flag keys. */
  readSimple(keys: readonly string[]): Promise<Map<string, string>>;
  close(): Promise<void>;
}

/** The store cannot be reached or read: exit 2. The message names the store by its label only. */
export class StoreUnavailable extends FlagopsError {}
