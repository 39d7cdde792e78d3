import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient } from '../../src/index.js';
import { repoRoot } from '../helpers/cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';
import { until } from '../helpers/wait.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** The reader's ACL line exactly as docs/redis-layout.md gives it, for the prefix `flagops:production`. */
function documentedReader(): string[] {
  const docs = readFileSync(`${repoRoot}docs/redis-layout.md`, 'utf8');
  const line = docs.split('\n').find((l) => l.startsWith('ACL SETUSER flagops-reader '));
  if (!line) throw new Error('docs/redis-layout.md has no ACL SETUSER flagops-reader line');
  return line.replace('>READER_PASSWORD', '>reader-secret').split(' ').slice(1);
}

describe('the SDK as the least-privilege reader of docs/redis-layout.md', () => {
  it('loads, follows syncs and kills through change messages and polling, with no error', async () => {
    await redis.client().call('ACL', ...documentedReader());
    const writer = await StoreWriter.redis(redis.url, 'flagops:production');
    await writer.sync([compiled('checkout'), compiled('search')]);
    const client = createFlagClient({ url: `redis://flagops-reader:reader-secret@127.0.0.1:${redis.port}`, env: 'production', pollIntervalMs: 100 });
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.message));
    client.on('stale', () => errors.push('stale'));
    await client.ready();
    const revision = await writer.sync([{ ...compiled('checkout'), enabled: false }, compiled('search')]);
    await until(() => client.revision === revision);
    expect(client.isEnabled('checkout', {}, true)).toBe(false);
    const killed = await writer.override('search', 'off');
    await until(() => client.revision === killed);
    expect(client.evaluate('search')).toMatchObject({ value: false, override: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(errors).toEqual([]);
    await client.close();
    await writer.close();
  });
});
