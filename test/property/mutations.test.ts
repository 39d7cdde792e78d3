import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeInfo } from '../../src/core/lifecycle/catalog.js';
import { defaultConfig } from '../../src/core/definition/config.js';
import { validateFlagTexts } from '../../src/core/definition/validate/validate-flags.js';
import { readFlagFiles } from '../../src/files/read-flag-files.js';
import { repoRoot } from '../helpers/cli.js';

const seeds = readFlagFiles([`${repoRoot}flags`], { cwd: repoRoot, maxFileBytes: 1 << 20, root: repoRoot }).files;
const yamlish = fc.constantFrom(
  ':',
  ': ',
  '-',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a',
  '*a',
  '!',
  '!!str',
  '|',
  '>',
  '"',
  '\'',
  '#',
  '\t',
  '\n',
  '  ',
  '@',
  '%',
  '`',
  '?',
  'on',
  'null',
  '~',
  '1e999',
  '-.inf',
  '__proto__',
  '\u0000',
  '\uFEFF',
  '😀',
  '\r\n',
);

type Mutation = (text: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([at, length]) => (t: string) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + t.slice(i + length);
  }),
  fc
    .tuple(fc.nat(), fc.array(fc.oneof(yamlish, fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 4 }))
    .map(([at, parts]) => (t: string) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + parts.join('') + t.slice(i);
    }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (t: string) => {
    const lines = t.split('\n');
    const i = a % lines.length;
    const j = b % lines.length;
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([a, shift]) => (t: string) => {
    const lines = t.split('\n');
    const i = a % lines.length;
    lines[i] =
      shift >= 0 ? ' '.repeat(shift) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-shift}}`), '');
    return lines.join('\n');
  }),
  fc.nat().map((a) => (t: string) => {
    const lines = t.split('\n');
    const i = a % lines.length;
    lines.splice(i, 0, lines[i]!);
    return lines.join('\n');
  }),
);

describe('validation of mutated flag files', () => {
  it('never throws, and every diagnostic lies inside its file with a known code', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        (seed, mutations) => {
          const text = mutations.reduce((t, m) => m(t), seed.text);
          const lines = text.split('\n');
          const { diagnostics } = validateFlagTexts([{ file: seed.file, text }], defaultConfig());
          for (const d of diagnostics) {
            expect(codeInfo(d.code), d.code).toBeDefined();
            expect(d.message.length).toBeGreaterThan(0);
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.line).toBeLessThanOrEqual(lines.length);
            expect(d.column).toBeGreaterThanOrEqual(1);
            expect(d.column).toBeLessThanOrEqual(lines[d.line - 1]!.length + 1);
            if (d.endLine !== undefined) {
              expect(d.endLine).toBeGreaterThanOrEqual(d.line);
              expect(d.endLine).toBeLessThanOrEqual(lines.length);
              expect(d.endColumn ?? 1).toBeLessThanOrEqual(lines[d.endLine - 1]!.length + 1);
            }
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('reports at least one diagnostic whenever a mutation breaks the YAML', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(), (seed, at) => {
        const i = at % seed.text.length;
        const text = `${seed.text.slice(0, i)}\n\t[: {${seed.text.slice(i)}`;
        const { diagnostics } = validateFlagTexts([{ file: seed.file, text }], defaultConfig());
        expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
