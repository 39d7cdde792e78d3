import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlagClient } from '../../src/index.js';
import { FileStore } from '../../src/store/file-store.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'flagops-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The widely used recipe, written independently of flagops: int(md5("<flag>:<user>").hexdigest(), 16) % 100. */
const bucket = (flag: string, user: string) => Number(BigInt(`0x${createHash('md5').update(`${flag}:${user}`).digest('hex')}`) % 100n);

describe('interoperability with int(md5("<flag>:<user>")) mod 100', () => {
  it('gives the same answer for 100,000 users on whole-percentage rollouts and splits', async () => {
    const percentages = [1, 10, 25, 50, 99];
    const split: Array<[string, number]> = [['control', 50], ['blue', 30], ['green', 20]];
    const path = join(dir, 'production.json');
    await StoreWriter.of(new FileStore(path)).sync([
      ...percentages.map((p) => compiled(`rollout-${p}`, { percentage: p, variant: 'on', stickiness: 'userId' })),
      compiled('colour-test', { split, stickiness: 'userId' }, { type: 'experiment', variants: { control: 'c', blue: 'b', green: 'g' }, offVariant: 'control' }),
    ]);
    const client = createFlagClient({ file: path });
    await client.ready();

    const mismatches: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const user = `${i.toString(36)}-${(i * 7919) % 100_003}@example.com`;
      for (const p of percentages) {
        const key = `rollout-${p}`;
        if (client.isEnabled(key, { userId: user }) !== (bucket(key, user) < p)) mismatches.push(`${key} ${user}`);
      }
      const b = bucket('colour-test', user);
      let cumulative = 0;
      const expected = split.find(([, weight]) => b < (cumulative += weight))![0];
      if (client.getVariant('colour-test', { userId: user }) !== expected) mismatches.push(`colour-test ${user}`);
    }
    await client.close();
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(mismatches.length).toBe(0);
  });
});
