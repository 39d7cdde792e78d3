import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { StoredState } from '../core/serving/evaluate/snapshot.js';
import type { StoredOverride } from '../store/store.js';

/**
 * Bootstrap and backup files share the file store's JSON shape (`{ meta, flags, overrides }`), so
 * the embedded store of a checkout (`.flagops/store/<env>.json`), or a backup a client wrote, can
 * start a client while Redis is down.
 */
export function readStateFile(path: string): StoredState {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as {
    meta?: StoredState['meta'];
    flags?: Record<string, unknown>;
    overrides?: Record<string, StoredOverride>;
  };
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.flags !== 'object' || parsed.flags === null) {
    throw new Error('it has no "flags" object (expected the file store format: { meta, flags, overrides })');
  }
  return {
    meta: parsed.meta ?? null,
    flags: new Map(Object.entries(parsed.flags).map(([key, flag]) => [key, JSON.stringify(flag)])),
    overrides: new Map(Object.entries(parsed.overrides ?? {})),
  };
}

/** Writes the last state read from the store, replacing the file whole (temporary file + rename). */
export function writeStateFile(path: string, state: StoredState): void {
  const flags: Record<string, unknown> = {};
  for (const [key, json] of state.flags) {
    try {
      flags[key] = JSON.parse(json);
    } catch {
      // A flag that cannot be parsed would only be a PARSE_ERROR again after a restart.
    }
  }
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ meta: state.meta, flags, overrides: Object.fromEntries(state.overrides) })}\n`);
  renameSync(temporary, path);
}
