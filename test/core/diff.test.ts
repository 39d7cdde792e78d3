import { describe, expect, it } from 'vitest';
import { diffFlags } from '../../src/core/change/diff.js';
import type { FlagDocument } from '../../src/core/definition/model.js';
import type { LoadedFlag } from '../../src/core/definition/validate/validate-flags.js';

const span = (line: number) => ({ line, column: 1, endLine: line, endColumn: 5 });
const flag = (key: string, doc: Partial<FlagDocument>): LoadedFlag => ({
  key,
  file: `flags/${key}.yaml`,
  definition: { description: 'd', owner: '@a/web', type: 'release', created: '2026-11-01', expires: '2026-12-01', environments: {}, ...doc } as FlagDocument,
  anchors: { created: span(4), owner: span(2), expires: span(5), environments: span(6), environment: { production: span(8), staging: span(7) } },
  uses: { segments: [], requires: [] },
});
const ENVS = ['staging', 'production'];

describe('diffFlags', () => {
  it('reports a rollout that reaches 100% through stages, and a salt change', () => {
    const before = flag('f', { environments: { production: { enabled: true, serve: { percentage: 20 } } } });
    const after = flag('f', {
      salt: 'new',
      environments: { production: { enabled: true, serve: { rollout: { stages: [{ at: '2026-11-20T00:00:00Z', percentage: 50 }, { at: '2026-11-27T00:00:00Z', percentage: 100 }] } } } },
    });
    const { changes, diagnostics } = diffFlags([before], [after], ENVS);
    expect(changes[0]!.risks.sort()).toEqual(['risk-full-rollout', 'risk-rebucketed']);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual(expect.arrayContaining([['risk-full-rollout', 8], ['risk-rebucketed', 8]]));
    expect(changes[0]!.environments).toEqual([{ environment: 'production', details: expect.arrayContaining(['salt changed: every user is bucketed anew']) }]);
  });

  it('treats a removed expiry as pushed out, and an earlier one as no risk', () => {
    const base = flag('f', { type: 'ops' });
    const never = diffFlags([base], [flag('f', { type: 'ops', expires: undefined })], ENVS);
    expect(never.changes[0]).toMatchObject({ metadata: ['expires: 2026-12-01 → never'], risks: ['risk-expiry-extended'] });
    expect(never.diagnostics[0]!.message).toBe('The expiry is pushed out to never (was 2026-12-01).');
    const earlier = diffFlags([base], [flag('f', { type: 'ops', expires: '2026-11-20' })], ENVS);
    expect(earlier.changes[0]).toMatchObject({ metadata: ['expires: 2026-12-01 → 2026-11-20'], risks: [] });
  });

  it('does not call a flag removed or added when its file has errors on one side', () => {
    const f = flag('f', {});
    const broken = diffFlags([f], [], ENVS, undefined, { base: new Set(), head: new Set(['f']) });
    expect(broken.changes).toEqual([{ key: 'f', kind: 'changed', file: 'flags/f.yaml', environments: [], metadata: ['its flag file has errors at head: fix them to see the change'], risks: [] }]);
    const repaired = diffFlags([], [f], ENVS, undefined, { base: new Set(['f']), head: new Set() });
    expect(repaired.changes[0]).toMatchObject({ kind: 'changed', metadata: ['its flag file had errors at base: compared with nothing'] });
  });

  it('leaves out flags whose behaviour and metadata did not change, and counts references', () => {
    const f = flag('same', { environments: { production: { enabled: true, serve: 'on' } } });
    const refs = new Map([['same', [{ file: 'a.ts', line: 1, column: 1 }]], ['gone', [{ file: 'a.ts', line: 2, column: 1 }, { file: 'b.ts', line: 3, column: 9 }]]]);
    const { changes, diagnostics } = diffFlags([f, flag('gone', {})], [f], ENVS, refs);
    expect(changes.map((c) => [c.key, c.kind, c.references])).toEqual([['gone', 'removed', { count: 2, files: 2 }]]);
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['a.ts:2:1 risk-removed-but-referenced', 'b.ts:3:9 risk-removed-but-referenced']);
  });
});
