import { describe, expect, it } from 'vitest';
import { isIgnored, parseGitignore } from '../../../src/core/shared/gitignore.js';
import { globMatcher } from '../../../src/core/shared/glob.js';
import { AliasIndex, camelCase, constantCase, snakeCase } from '../../../src/core/definition/key-aliases.js';
import { DEFAULT_PATTERNS, referencePatterns } from '../../../src/core/lifecycle/scan/patterns/configured-patterns.js';
import { applySuppressions, suppressedLines } from '../../../src/core/lifecycle/scan/findings/suppressions.js';
import type { Diagnostic } from '../../../src/core/shared/diagnostic.js';

describe('globs', () => {
  it.each([
    ['**/*.test.ts', 'src/a.test.ts', true],
    ['**/*.test.ts', 'a.test.ts', true],
    ['*.test.ts', 'deep/down/a.test.ts', true],
    ['src/**/*.{ts,tsx}', 'src/a/b/c.tsx', true],
    ['src/**/*.{ts,tsx}', 'src/c.ts', true],
    ['src/**/*.{ts,tsx}', 'lib/c.ts', false],
    ['src/*.ts', 'src/a/b.ts', false],
    ['legacy/**', 'legacy/x/y.ts', true],
    ['legacy', 'legacy/x/y.ts', true],
    ['gen/', 'a/gen/x.ts', true],
    ['file?.ts', 'file1.ts', true],
    ['file[0-9].ts', 'filex.ts', false],
    ['./src/*.ts', 'src/a.ts', true],
    ['a.ts', 'ba.ts', false],
    // What users know from other tools: ranges, extglobs, negated classes.
    ['src/v{1..3}/*.ts', 'src/v2/a.ts', true],
    ['src/v{1..3}/*.ts', 'src/v4/a.ts', false],
    ['src/+(api|web)/*.ts', 'src/web/a.ts', true],
    ['src/+(api|web)/*.ts', 'src/cli/a.ts', false],
    ['src/!(legacy)/*.ts', 'src/new/a.ts', true],
    ['src/!(legacy)/*.ts', 'src/legacy/a.ts', false],
    ['file[!0-9].ts', 'filex.ts', true],
    ['.storybook/**', '.storybook/main.ts', true],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(globMatcher([glob])(path)).toBe(expected);
  });
});

describe('.gitignore', () => {
  const rules = [...parseGitignore('# comment\n\nbuild/\n*.log\n!keep.log\n/top.ts\ndocs/**/*.gen.ts\n\\#hash.ts\n', ''), ...parseGitignore('local.ts\n', 'pkg')];
  it.each([
    ['build', true, true],
    ['build', false, false],
    ['a/b/x.log', false, true],
    ['a/keep.log', false, false],
    ['top.ts', false, true],
    ['sub/top.ts', false, false],
    ['docs/a/b/x.gen.ts', false, true],
    ['#hash.ts', false, true],
    ['pkg/local.ts', false, true],
    ['local.ts', false, false],
  ])('%s (dir %s) ignored: %s', (path, isDir, expected) => {
    expect(isIgnored(rules, path, isDir)).toBe(expected);
  });
});

describe('key aliases', () => {
  it('converts keys the way flags objects expose them', () => {
    expect(camelCase('new-checkout.v2')).toBe('newCheckoutV2');
    expect(snakeCase('new-checkout')).toBe('new_checkout');
    expect(constantCase('search-v2')).toBe('SEARCH_V2');
  });

  it('looks up a name as written first, then through each case form', () => {
    const index = new AliasIndex(['new-checkout', 'newCheckout', 'dark_mode']);
    expect(index.lookup('newCheckout')).toBe('newCheckout');
    expect(index.lookup('new_checkout')).toBe('new-checkout');
    expect(index.lookup('darkMode')).toBe('dark_mode');
    expect(index.lookup('DARK_MODE')).toBe('dark_mode');
    expect(index.lookup('toString')).toBeUndefined();
  });
});

describe('reference patterns', () => {
  it('adds configured calls to the defaults, and a configured call replaces a default of the same name', () => {
    const patterns = referencePatterns({ defaults: true, calls: [{ name: 'evaluate', argument: 1 }, { name: 'gate' }], hooks: ['useGates'], maps: ['gates'] });
    expect(patterns.calls.find((c) => c.name === 'evaluate')).toEqual({ name: 'evaluate', argument: 1, strict: true, configured: true });
    expect(patterns.calls.find((c) => c.name === 'gate')).toEqual({ name: 'gate', argument: 0, strict: true, configured: true });
    // A preset's own calls are not the configuration's word: look-alike rules may drop them.
    expect(patterns.calls.find((c) => c.name === 'isEnabled')?.configured).toBeUndefined();
    expect(patterns.configured).toEqual(['useGates', 'gates']);
    expect(patterns.calls).toHaveLength(DEFAULT_PATTERNS.calls.length + 1);
    expect(patterns.hooks).toEqual(['useFlags', 'useGates']);
  });

  it('drops the defaults when asked', () => {
    const none = referencePatterns({ defaults: false, calls: [], hooks: [], maps: [] });
    expect(none).toEqual({ calls: [], hooks: [], maps: [], jsx: [], configured: [] });
  });
});

describe('suppressions', () => {
  const at = (file: string, line: number, code: string, flag?: string): Diagnostic => ({
    severity: 'error', code, file, line, column: 1, message: 'm', ...(flag ? { flag } : {}),
  });

  it('reads the codes after the marker, up to --', () => {
    expect(suppressedLines('a\n// flagops-ignore-next-line orphaned-reference, dynamic-reference -- why\nb\n# flagops-ignore-next-line\nc')).toEqual(
      new Map([[3, ['orphaned-reference', 'dynamic-reference']], [5, []]]),
    );
  });

  it('silences by comment on the line above and by scan.ignore entries', () => {
    const texts: Record<string, string> = { 'a.ts': 'x\n// flagops-ignore-next-line unused-flag\ny\n' };
    const diagnostics = [at('a.ts', 3, 'unused-flag'), at('a.ts', 3, 'stale-flag'), at('b.ts', 1, 'unused-flag', 'mobile-x'), at('c/d.ts', 1, 'dynamic-reference')];
    const { kept, suppressed } = applySuppressions(diagnostics, (f) => texts[f], [{ code: 'unused-flag', flag: 'mobile-*' }, { file: 'c/**' }]);
    expect(kept.map((d) => `${d.file}:${d.code}`)).toEqual(['a.ts:stale-flag']);
    expect(suppressed).toBe(3);
  });
});
