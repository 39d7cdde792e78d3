import type { CompiledFlag } from '../../src/core/serving/compiled.js';
import { checksumOf } from '../../src/core/serving/compile.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { FlagStore } from '../../src/store/store.js';

/**
 * Writes flags the way `flagops sync` does (one guarded transaction, a change message), without a
 * git checkout: for SDK tests that need hundreds of syncs.
 */
export class StoreWriter {
  private constructor(readonly store: FlagStore) {}

  static async redis(url: string, prefix: string): Promise<StoreWriter> {
    return new StoreWriter(await RedisStore.connect(url, prefix));
  }

  static of(store: FlagStore): StoreWriter {
    return new StoreWriter(store);
  }

  /** Replaces the environment's flags with these; returns the new revision. */
  async sync(flags: CompiledFlag[], commit = 'c0ffee'): Promise<number> {
    const live = await this.store.read();
    const desired = new Map(flags.map((f) => [f.key, JSON.stringify(f)]));
    const upserts = new Map([...desired].filter(([key, json]) => live.flags.get(key) !== json));
    const removals = [...live.flags.keys()].filter((key) => !desired.has(key));
    const result = await this.store.writeSync({
      expectedRevision: live.meta?.revision ?? 0,
      upserts,
      removals,
      meta: { commit, syncedAt: new Date().toISOString(), checksum: checksumOf(desired), format: 1 },
      audit: { kind: 'sync', actor: 'test', at: new Date().toISOString(), commit },
    });
    if (result.status !== 'applied') throw new Error(`sync conflict at ${result.liveRevision}`);
    return result.revision;
  }

  async override(flag: string, variant: string | undefined): Promise<number> {
    const live = await this.store.read();
    const at = new Date().toISOString();
    const result = await this.store.writeOverride({
      expectedRevision: live.meta?.revision ?? 0,
      flag,
      override: variant === undefined ? undefined : { variant, reason: 'test', actor: 'test', at },
      audit: { kind: variant === undefined ? 'unkill' : 'kill', actor: 'test', at, flag },
    });
    if (result.status !== 'applied') throw new Error(`override conflict at ${result.liveRevision}`);
    return result.revision;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** A compiled flag for tests: boolean on/off, enabled, serving `serve`. */
export function compiled(key: string, serve: CompiledFlag['serve'] = { variant: 'on' }, extra: Partial<CompiledFlag> = {}): CompiledFlag {
  return { key, type: 'release', enabled: true, variants: { on: true, off: false }, offVariant: 'off', salt: key, rules: [], serve, ...extra };
}
