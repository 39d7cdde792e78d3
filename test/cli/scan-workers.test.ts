import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { flagopsJson, repoRoot } from '../helpers/cli.js';
import { tmpProject } from '../helpers/tmp.js';
import { analyseFile } from '../../src/scan/facts/typescript/analyse-file.js';
import { referencePatterns } from '../../src/core/lifecycle/scan/patterns/configured-patterns.js';
import { PRESET_NAMES } from '../../src/core/definition/config-choices.js';

type Generate = (root: string, options: { files: number; flagCount: number; methods?: number }) => { references: number };
type GenerateFlags = (root: string, count: number) => void;
const load = async <T>(path: string) => (await import(`${repoRoot}${path}`)) as T;

describe('scan of a generated code base', () => {
  it('finds every reference the generator wrote, the same on worker threads as on one thread', async () => {
    const { generateFlags } = await load<{ generateFlags: GenerateFlags }>('bench/generate-flags.mjs');
    const { generateSources } = await load<{ generateSources: Generate }>('bench/generate-sources.mjs');
    const root = tmpProject();
    generateFlags(root, 60);
    const { references } = generateSources(root, { files: 300, flagCount: 60, methods: 2 });
    const one = flagopsJson(['scan', '--now', '2026-11-10'], root, { env: { FLAGOPS_SCAN_WORKERS: '0' } });
    const two = flagopsJson(['scan', '--now', '2026-11-10'], root, { env: { FLAGOPS_SCAN_WORKERS: '2' } });
    const found = (one.json as unknown as { references: { flag: string | null }[] }).references.filter((r) => r.flag !== null);
    expect(found).toHaveLength(references);
    expect(two.stdout).toBe(one.stdout);
    expect(one.code).toBe(0);
  }, 60_000);
});

describe('the analyser on arbitrary text', () => {
  const fragments = ['isEnabled(', ')', '\'a\'', '`${', '}`', 'const ', 'x = ', '{', '}', 'import { a } from "./b";', 'export * from "c";',
    'useFlags()', '.', '[', ']', 'enum E { A = "a" }', '=>', 'function f(k) {', 'return ', ';', '\n', '/*', '*/', '//', '...', 'as const',
    // The newer forms: JSX elements and attributes, assignments, CommonJS exports, classes and list types.
    '<Feature flag=', '"x"', '{...p}', '/>', '</Feature>', '<IfFeatureEnabled feature={', 'X.Y = ', 'exports.A = ', 'module.exports = ',
    'class C {', 'this.', 'isEnabled(a, b)', 'flags: string[]', 'new Array()', 'flags.length', 'useVariant(', '<>', '</>'];
  const patterns = referencePatterns({ defaults: false, presets: [...PRESET_NAMES], calls: [], hooks: [], maps: ['flags'], jsx: [] });
  it('never throws, and every candidate lies inside the text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string()), { maxLength: 60 }), (parts) => {
        const text = parts.join(' ');
        const facts = analyseFile('f.tsx', text, patterns);
        const lines = text.split('\n').length;
        for (const c of facts.candidates) {
          expect(c.line).toBeGreaterThanOrEqual(1);
          expect(c.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
