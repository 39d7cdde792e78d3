import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { withFileLock } from './file-lock.js';
import type {
  AuditEntry,
  FlagStore,
  FlagUsage,
  LiveState,
  OverridesWrite,
  StoredOverride,
  OverrideWrite,
  StoreMeta,
  SyncWrite,
  WriteResult,
} from './store.js';
import { CORRUPT_REVISION, nextRevision, parseUsage, revisionMatches, revisionProblem, singleOverride, StoreUnavailable } from './store.js';

function readUsageFile(path: string): Record<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? Object.assign(Object.create(null), parsed) : Object.create(null);
  } catch {
    return Object.create(null);
  }
}

const AUDIT_KEEP = 1000;

/** A meta whose revision is not a whole number (a hand-edited file) is marked, as Redis's is. */
function checkedMeta(meta: StoreMeta | null): StoreMeta | null {
  if (!meta || (Number.isInteger(meta.revision) && meta.revision >= 0)) return meta;
  return { ...meta, revision: CORRUPT_REVISION, problem: revisionProblem(meta.revision) };
}

/**
 * Temporary files of a writer that was killed before its rename (`<file>.<pid>.tmp`). Only the
 * holder of the file's lock writes them, so while holding it every one found is garbage.
 */
function removeLeftovers(path: string): void {
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && /^\d+\.tmp$/.test(name.slice(prefix.length))) rmSync(join(dirname(path), name), { force: true });
  }
}

interface FileState {
  meta: StoreMeta | null;
  flags: Record<string, unknown>;
  overrides: Record<string, StoredOverride>;
  audit: AuditEntry[];
  /** The simple per-flag keys, kept so the file store honours the same contract as Redis. */
  simple: Record<string, string>;
}

/**
 * The embedded store: one JSON file per environment, replaced whole through a temporary file and a
 * rename, so a reader (or a crash) only ever sees the old file or the new one.
 */
export class FileStore implements FlagStore {
  constructor(
    private readonly path: string,
    readonly label = `file ${path}`,
  ) {}

  async read(): Promise<LiveState> {
    const state = this.load();
    return {
      meta: state.meta,
      flags: new Map(Object.entries(state.flags).map(([key, flag]) => [key, JSON.stringify(flag)])),
      overrides: new Map(Object.entries(state.overrides)),
    };
  }

  writeSync(write: SyncWrite): Promise<WriteResult> {
    return this.transaction(write.expectedRevision, (state, revision) => {
      for (const key of write.removals) delete state.flags[key];
      for (const [key, json] of write.upserts) state.flags[key] = JSON.parse(json);
      for (const key of write.simple?.remove ?? []) delete state.simple[key];
      for (const [key, json] of write.simple?.set ?? []) state.simple[key] = json;
      for (const [flag, override] of write.overrides ?? []) state.overrides[flag] = override;
      state.meta = { ...write.meta, revision };
      state.audit.push(write.audit);
    });
  }

  writeOverride(write: OverrideWrite): Promise<WriteResult> {
    return this.writeOverrides(singleOverride(write));
  }

  writeOverrides(write: OverridesWrite): Promise<WriteResult> {
    return this.transaction(write.expectedRevision, (state, revision) => {
      for (const [flag, override] of write.set) {
        if (override) state.overrides[flag] = override;
        else delete state.overrides[flag];
      }
      if (state.meta) delete state.meta.problem;
      for (const [flag, simple] of write.simple ?? []) {
        if (simple === null) delete state.simple[flag];
        else state.simple[flag] = simple;
      }
      state.meta = state.meta ? { ...state.meta, revision } : null;
      state.audit.push(...write.audit);
    });
  }

  async readAudit(count: number): Promise<AuditEntry[]> {
    return this.load().audit.slice(-count).reverse();
  }

  async readSimple(keys: readonly string[]): Promise<Map<string, string>> {
    const { simple } = this.load();
    return new Map(keys.filter((key) => Object.hasOwn(simple, key)).map((key) => [key, simple[key]!]));
  }

  /** Usage counts live next to the store (`<file>.usage.json`), written by SDKs that read this file. */
  get usagePath(): string {
    return `${this.path}.usage.json`;
  }

  async readUsage(): Promise<Map<string, FlagUsage>> {
    return parseUsage(readUsageFile(this.usagePath));
  }

  /** Adds counts to the usage file under its lock (several services may share one store file). */
  async addUsage(fields: ReadonlyMap<string, number>): Promise<void> {
    await withFileLock(`${this.usagePath}.lock`, () => {
      removeLeftovers(this.usagePath);
      const hash = readUsageFile(this.usagePath);
      for (const [field, n] of fields) {
        hash[field] = String(field.startsWith('last:') ? Math.max(Number(hash[field] ?? 0), n) : Number(hash[field] ?? 0) + n);
      }
      const temporary = `${this.usagePath}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(hash)}\n`);
      renameSync(temporary, this.usagePath);
    });
  }

  async close(): Promise<void> {}

  private async transaction(expected: number, change: (state: FileState, revision: number) => void): Promise<WriteResult> {
    mkdirSync(dirname(this.path), { recursive: true });
    return withFileLock(`${this.path}.lock`, () => {
      removeLeftovers(this.path);
      const state = this.load();
      const live = state.meta?.revision ?? 0;
      if (!revisionMatches(live === CORRUPT_REVISION ? undefined : live, expected)) return { status: 'conflict', liveRevision: live } as const;
      change(state, nextRevision(expected));
      state.audit = state.audit.slice(-AUDIT_KEEP);
      this.replace(state);
      return { status: 'applied', revision: nextRevision(expected) } as const;
    });
  }

  private load(): FileState {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { meta: null, flags: {}, overrides: {}, audit: [], simple: {} };
      throw new StoreUnavailable(`The file store ${this.path} could not be read (${code}).`, 'Check its permissions.');
    }
    let parsed: Partial<FileState>;
    try {
      parsed = JSON.parse(text) as Partial<FileState>;
    } catch {
      throw new StoreUnavailable(
        `The file store ${this.path} is not valid JSON.`,
        'Restore it from its backup, or delete it and sync again (the next sync rewrites every flag).',
      );
    }
    // Parsed JSON has own properties only, but flag keys index these maps: keep them prototype-free.
    return {
      meta: checkedMeta(parsed.meta ?? null),
      flags: Object.assign(Object.create(null), parsed.flags),
      overrides: Object.assign(Object.create(null), parsed.overrides),
      audit: parsed.audit ?? [],
      simple: Object.assign(Object.create(null), parsed.simple),
    };
  }

  private replace(state: FileState): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, `${JSON.stringify(state, null, 1)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
  }
}
