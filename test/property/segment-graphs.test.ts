import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileEnvironment } from '../../src/core/serving/compile.js';
import { defaultConfig } from '../../src/core/definition/config.js';
import { evaluateFlag } from '../../src/core/serving/evaluate/evaluate.js';
import { buildSnapshot } from '../../src/core/serving/evaluate/snapshot.js';
import { checkReferences } from '../../src/core/definition/validate/references.js';
import { type LoadedFlag, validateFlagText } from '../../src/core/definition/validate/validate-flags.js';
import { type LoadedSegment, validateSegmentText } from '../../src/core/definition/validate/validate-segments.js';
import { readFormat2 } from '../helpers/format2-reader.js';
import { flagYaml, segmentYaml } from '../helpers/segment-project.js';

const config = defaultConfig();
const GROUPS = ['a', 'b', 'c'];

/** A graph of flags and segments: edges go from a higher index to a lower one unless `back` adds one the other way. */
const graph = fc.record({
  flags: fc.integer({ min: 1, max: 7 }),
  segments: fc.integer({ min: 1, max: 6 }),
  requires: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('production', '*')), { maxLength: 10 }),
  nests: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 8 }),
  uses: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 10 }),
  conditions: fc.array(fc.tuple(fc.constantFrom(...GROUPS), fc.boolean()), { minLength: 6, maxLength: 6 }),
  percentages: fc.array(fc.constantFrom(0, 10, 35, 50, 100), { minLength: 7, maxLength: 7 }),
  plans: fc.subarray(['free', 'pro', 'team'], { minLength: 1 }),
});

type Graph = typeof graph extends fc.Arbitrary<infer T> ? T : never;
type Back = { kind: 'flag' | 'segment'; from: number; to: number } | undefined;

function build(g: Graph, back: Back) {
  const requires = new Map<number, Map<string, Set<number>>>();
  const add = (from: number, to: number, env: string) => {
    const perEnv = requires.get(from) ?? new Map<string, Set<number>>();
    perEnv.set(env, (perEnv.get(env) ?? new Set()).add(to));
    requires.set(from, perEnv);
  };
  for (const [a, b, env] of g.requires) {
    const [from, to] = [a % g.flags, b % g.flags];
    if (from > to) add(from, to, env);
  }
  if (back?.kind === 'flag') add(back.from, back.to, '*');
  const nests = new Map<number, Array<{ to: number; any: boolean }>>();
  for (const [a, b, any] of g.nests) {
    const [from, to] = [a % g.segments, b % g.segments];
    if (from > to && !nests.get(from)?.some((n) => n.to === to)) nests.set(from, [...(nests.get(from) ?? []), { to, any }]);
  }
  if (back?.kind === 'segment') nests.set(back.from, [...(nests.get(back.from) ?? []).filter((n) => n.to !== back.to), { to: back.to, any: false }]);

  const segments: LoadedSegment[] = [];
  for (let i = 0; i < g.segments; i++) {
    const [group, negate] = g.conditions[i % g.conditions.length]!;
    const lines = [negate ? `not: { groups: [${group}] }` : `groups: [${group}]`];
    if (i % 3 === 1) lines.push(`when: [{ attribute: plan, op: in, values: [${g.plans.join(', ')}] }]`);
    const named = nests.get(i) ?? [];
    const all = named.filter((n) => !n.any).map((n) => `s${n.to}`);
    const any = named.filter((n) => n.any).map((n) => `s${n.to}`);
    if (all.length > 0) lines.push(`segments: [${all.join(', ')}]`);
    if (any.length > 0) lines.push(`any: [{ segments: { any: [${any.join(', ')}] } }]`);
    const result = validateSegmentText({ file: `segments/s${i}.yaml`, text: segmentYaml(lines) }, config);
    expect(result.diagnostics).toEqual([]);
    segments.push(result.segment!);
  }
  const flags: LoadedFlag[] = [];
  for (let i = 0; i < g.flags; i++) {
    const used = g.uses.filter(([f]) => f % g.flags === i).map(([, s, any]) => ({ key: `s${s % g.segments}`, any }));
    const keys = [...new Set(used.map((u) => u.key))];
    const rules = keys.length === 0 ? undefined : [`{ name: r, segments: ${used.some((u) => u.any) ? `{ any: [${keys.join(', ')}] }` : `[${keys.join(', ')}]`}, serve: on }`];
    const everywhere = [...(requires.get(i)?.get('*') ?? [])].map((to) => `f${to}`);
    const production = [...(requires.get(i)?.get('production') ?? [])].map((to) => `f${to}`);
    const text = flagYaml({
      ...(everywhere.length > 0 ? { requires: everywhere } : {}),
      ...(production.length > 0 ? { envRequires: { production } } : {}),
      ...(rules ? { rules } : {}),
    });
    // Everyone else gets a percentage in production: bucketing meets prerequisites and segments.
    const percentage = g.percentages[i % g.percentages.length]!;
    const result = validateFlagText({ file: `flags/f${i}.yaml`, text: text.replace('    serve: off\n', `    serve: { percentage: ${percentage} }\n`) }, config);
    expect(result.diagnostics).toEqual([]);
    flags.push(result.flag!);
  }
  return { flags, segments };
}

const contexts = fc.array(
  fc.record({ userId: fc.string({ minLength: 1, maxLength: 8 }), groups: fc.subarray(GROUPS), plan: fc.constantFrom('free', 'pro', 'team', 'x') }),
  { minLength: 1, maxLength: 8 },
);

describe('random graphs of segments and prerequisites', () => {
  it('acyclic ones validate and evaluate without throwing, for any context, as a reader of docs/redis-layout.md alone does', () => {
    fc.assert(
      fc.property(graph, contexts, (g, people) => {
        const { flags, segments } = build(g, undefined);
        const findings = checkReferences({ flags, segments, config });
        expect(findings.filter((d) => d.severity === 'error')).toEqual([]);
        for (const environment of ['staging', 'production']) {
          const compiled = compileEnvironment(flags.map((f) => ({ key: f.key, definition: f.definition })), environment, segments);
          const snapshot = buildSnapshot({ meta: null, flags: compiled.flags, overrides: new Map() });
          for (const context of people) {
            for (const flag of flags) {
              const r = evaluateFlag(snapshot, flag.key, context, false, () => 0);
              expect(r.reason).not.toBe('ERROR');
              expect(typeof r.value).toBe('boolean');
              expect(r.variant).toBe(readFormat2(compiled.flags, flag.key, context));
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('cyclic ones are always rejected, at an edge of the cycle', () => {
    fc.assert(
      fc.property(graph, fc.constantFrom<'flag' | 'segment'>('flag', 'segment'), fc.nat(), fc.nat(), (g, kind, a, b) => {
        const size = kind === 'flag' ? g.flags : g.segments;
        // A back edge from a lower to a higher (or the same) index closes a cycle with a chain of forward ones, or itself.
        const from = a % size;
        const to = from + (b % (size - from));
        const steps = Array.from({ length: to - from }, (_, k) => [from + k + 1, from + k] as const);
        const chain: Graph =
          kind === 'flag'
            ? { ...g, requires: [...g.requires, ...steps.map(([x, y]) => [x, y, '*'] as [number, number, '*'])] }
            : { ...g, nests: [...g.nests, ...steps.map(([x, y]) => [x, y, false] as [number, number, boolean])] };
        const { flags, segments } = build(chain, { kind, from, to });
        const code = kind === 'flag' ? 'prerequisite-cycle' : 'segment-cycle';
        const cycles = checkReferences({ flags, segments, config }).filter((d) => d.code === code);
        expect(cycles.length).toBeGreaterThan(0);
        const name = kind === 'flag' ? `f${from}` : `s${from}`;
        expect(cycles.some((d) => d.file.endsWith(`/${name}.yaml`) && d.message.includes(`${name} →`))).toBe(true);
        // Even if such flags reached a store, reading them ends: the cycle is unreadable, nothing loops.
        if (kind === 'flag') {
          const compiled = compileEnvironment(flags.map((f) => ({ key: f.key, definition: f.definition })), 'production', segments);
          const snapshot = buildSnapshot({ meta: null, flags: compiled.flags, overrides: new Map() });
          expect(evaluateFlag(snapshot, name, { userId: 'u-1' }, false, () => 0)).toMatchObject({ reason: 'ERROR', errorCode: 'PARSE_ERROR' });
        }
      }),
      { numRuns: 150 },
    );
  });
});
