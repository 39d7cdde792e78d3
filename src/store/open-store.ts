import { FileStore } from './file-store.js';
import type { FlagStore } from './store.js';
import type { StoreTarget } from './target.js';

export async function openStore(target: StoreTarget): Promise<FlagStore> {
  if (target.kind === 'file') return new FileStore(target.path, target.label);
  const { RedisStore } = await import('./redis-store.js');
  return RedisStore.connect(target.url, target.prefix, { timeoutMs: target.timeoutMs });
}
