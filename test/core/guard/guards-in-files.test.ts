import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/definition/config.js';
import { validateFlagTexts } from '../../../src/core/definition/validate/validate-flags.js';
import { compileEnvironment, compileFlag } from '../../../src/core/serving/compile.js';
import { evaluateFlag } from '../../../src/core/serving/evaluate/evaluate.js';
import { buildSnapshot } from '../../../src/core/serving/evaluate/snapshot.js';
import type { FlagDocument } from '../../../src/core/definition/model.js';

const config = parseConfig(
  'flagops.config.yaml',
  [
    'environments: { production: {} }',
    'metrics:',
    '  source: { url: http://prometheus:9090 }',
    '  error-rate: { query: "sum(x)", maxIncrease: 0.5%, minSamples: 500 }',
    '  p95-latency: { query: "histogram_quantile(0.95, y)", kind: value }',
    '',
  ].join('\n'),
);

const flag = (body: string) => `description: d\nowner: "@o"\ntype: release\ncreated: 2026-12-01\nexpires: 2026-12-30\n${body}`;
const rollout = (stages: string) => `environments:\n  production:\n    enabled: true\n    serve:\n      rollout:\n        stages:\n${stages}`;
const validate = (text: string) => validateFlagTexts([{ file: 'flags/f.yaml', text }], config.config).diagnostics;

describe('guards in flag files and metrics in the configuration', () => {
  it('the configuration reads metrics with their defaults', () => {
    expect(config.diagnostics).toEqual([]);
    expect(config.config.metrics.definitions['error-rate']).toMatchObject({ kind: 'rate', maxIncrease: '0.5%', minSamples: 500 });
    expect(config.config.metrics.definitions['p95-latency']!.kind).toBe('value');
    expect(config.config.metrics.source).toEqual({ url: 'http://prometheus:9090' });
    const bad = parseConfig('c.yaml', 'metrics:\n  error-rate: { query: q, maxIncrease: lots }\n');
    expect(bad.diagnostics[0]).toMatchObject({ line: 2, message: expect.stringMatching(/maxIncrease/) });
  });

  it('a valid guarded rollout passes', () => {
    const text = flag(`guards: [error-rate]\n${rollout('          - { at: 2026-12-01T00:00:00Z, percentage: 10 }\n          - { at: 2026-12-02T00:00:00Z, percentage: 50, guards: [{ metric: p95-latency, maxRatio: 1.2 }] }\n')}`);
    expect(validate(text)).toEqual([]);
  });

  it('an unknown metric is named at its line and column, with the likely one', () => {
    const text = flag(rollout('          - { at: 2026-12-01T00:00:00Z, percentage: 10 }\n          - { at: 2026-12-02T00:00:00Z, percentage: 50, guards: [eror-rate] }\n'));
    expect(validate(text)).toEqual([
      expect.objectContaining({ code: 'guard-invalid', line: 13, column: 66, message: expect.stringMatching(/metric "eror-rate", which flagops.config.yaml does not define/), hint: 'Did you mean "error-rate"?' }),
    ]);
  });

  it('impossible thresholds, a guard on the first stage and guards without a rollout are refused', () => {
    const impossible = validate(flag(`guards: [{ metric: error-rate, maxIncrease: 150% }, { metric: p95-latency, max: 5% }, { metric: p95-latency }]\n${rollout('          - { at: 2026-12-01T00:00:00Z, percentage: 10, guards: [error-rate] }\n          - { at: 2026-12-02T00:00:00Z, percentage: 50 }\n')}`));
    expect(impossible.map((d) => d.message)).toEqual([
      expect.stringMatching(/an increase of 150% can never be exceeded/),
      expect.stringMatching(/"p95-latency" is a value .* a percentage means nothing/),
      expect.stringMatching(/The guard on "p95-latency" has no threshold/),
      expect.stringMatching(/The first stage has no stage before it/),
    ]);
    const noRollout = validate(flag('guards: [error-rate]\nenvironments:\n  production: { enabled: true, serve: { percentage: 10 } }\n'));
    expect(noRollout).toEqual([expect.objectContaining({ line: 6, column: 1, message: expect.stringMatching(/guards but no rollout/) })]);
    const unknownField = validate(flag(`guards: [{ metric: error-rate, max-increase: 1% }]\n${rollout('          - { at: 2026-12-01T00:00:00Z, percentage: 10 }\n')}`));
    expect(unknownField[0]).toMatchObject({ line: 6, message: expect.stringMatching(/max-increase/) });
  });

  it('guards compile onto every stage (the flag\'s first), and a store of guarded flags is format 3', () => {
    const doc: FlagDocument = {
      description: 'd',
      owner: '@o',
      type: 'release',
      created: '2026-12-01',
      guards: ['error-rate'],
      environments: { production: { enabled: true, serve: { rollout: { stages: [{ at: '2026-12-01T00:00:00Z', percentage: 10 }, { at: '2026-12-02T00:00:00Z', percentage: 50, guards: [{ metric: 'p95-latency', maxRatio: 1.2, window: '5m' }] }] } } } },
    };
    const compiled = compileFlag('f', doc, 'production');
    expect(compiled.serve).toMatchObject({
      stages: [
        { percentage: 10, guards: [{ metric: 'error-rate' }] },
        { percentage: 50, guards: [{ metric: 'error-rate' }, { metric: 'p95-latency', maxRatio: 1.2, window: 300 }] },
      ],
    });
    expect(compileEnvironment([{ key: 'f', definition: doc }], 'production').format).toBe(3);
    const { guards: _, ...plain } = doc;
    const unguarded = { ...plain, environments: { production: { enabled: true, serve: { rollout: { stages: [{ at: '2026-12-01T00:00:00Z', percentage: 10 }] } } } } };
    expect(compileEnvironment([{ key: 'f', definition: unguarded }], 'production').format).toBe(1);
  });

  it('a held rollout serves its earlier stage past the held stage\'s date; the same users keep the variant', () => {
    const json = JSON.stringify(compileFlag('f', {
      description: 'd',
      owner: '@o',
      type: 'release',
      created: '2026-12-01',
      environments: { production: { enabled: true, serve: { rollout: { stages: [{ at: '2026-12-01T00:00:00Z', percentage: 10 }, { at: '2026-12-02T00:00:00Z', percentage: 60, guards: ['error-rate'] }] } } } },
    }, 'production'));
    const state = (overrides: Map<string, { hold: string } | { variant: string }>) => buildSnapshot({ meta: { revision: 3, commit: 'c', syncedAt: 's', format: 3 }, flags: new Map([['f', json]]), overrides });
    const now = () => Date.parse('2026-12-05T00:00:00Z');
    const share = (snap: ReturnType<typeof state>) => {
      const on: string[] = [];
      for (let i = 0; i < 2000; i++) if (evaluateFlag(snap, 'f', { userId: `u${i}` }, false, now).variant === 'on') on.push(`u${i}`);
      return on;
    };
    const free = share(state(new Map()));
    const held = share(state(new Map([['f', { hold: '2026-12-02T00:00:00Z' }]])));
    expect(free.length / 2000).toBeGreaterThan(0.55);
    expect(held.length / 2000).toBeGreaterThan(0.07);
    expect(held.length / 2000).toBeLessThan(0.13);
    expect(held.every((u) => free.includes(u))).toBe(true);
    const snap = state(new Map([['f', { hold: '2026-12-02T00:00:00Z' }]]));
    expect(snap.flags.get('f')).toMatchObject({ changesAt: [Date.parse('2026-12-01T00:00:00Z')] });
    // A kill wins over a hold.
    expect(share(state(new Map([['f', { variant: 'off' }]])))).toEqual([]);
  });
});
