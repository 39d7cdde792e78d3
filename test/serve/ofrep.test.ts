import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerWriter, ofrepAnswer } from '../../src/serve/ofrep.js';
import { createFlagClient, type FlagClient } from '../../src/sdk/index.js';
import { flagops } from '../helpers/cli.js';
import { exampleProject } from '../helpers/example-project.js';

describe('the OFREP answers written as text', () => {
  const repo = exampleProject();
  let client: FlagClient;
  beforeAll(async () => {
    expect(flagops(['sync', '--env', 'production'], repo.root, { env: { FLAGOPS_NOW: '2026-11-27' } }).code).toBe(0);
    // A kill, so that override metadata is written too.
    expect(flagops(['kill', 'dark-mode', '--env', 'production', '--reason', 'test'], repo.root).code).toBe(0);
    client = createFlagClient({ file: join(repo.root, '.flagops/store/production.json') });
    await client.ready();
  });
  afterAll(() => client?.close());

  it('are the same JSON as the answer objects, for every flag, 500 contexts and an unknown key', () => {
    const writer = new AnswerWriter(client);
    const keys = [...client.keys()].sort();
    for (let i = 0; i < 500; i++) {
      const groups = i % 5 === 0 ? ['employees'] : [];
      const context = { userId: `u-${i * 13}`, plan: ['free', 'pro', 'enterprise'][i % 3], groups, appVersion: `2.${i % 9}.1`, accountId: `a-${i % 11}` };
      for (const key of [...keys, 'no-such-flag']) {
        const expected = ofrepAnswer(key, client.evaluate(key, context), client.describe(key), client.revision);
        const written = writer.one(key, context);
        expect(written.status).toBe(expected.status);
        expect(JSON.parse(written.text)).toEqual(expected.body);
      }
      const all = writer.all(context);
      const bodies = keys.map((key) => ofrepAnswer(key, client.evaluate(key, context), client.describe(key), client.revision).body);
      expect(JSON.parse(all.text)).toEqual({ flags: bodies });
      expect([...all.reasons.values()].reduce((a, b) => a + b, 0)).toBe(keys.length);
    }
    expect(JSON.parse(writer.one('dark-mode', { userId: 'u-1' }).text)).toMatchObject({ value: false, reason: 'DISABLED', metadata: { override: true } });
  });
});
