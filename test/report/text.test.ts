import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/shared/diagnostic.js';
import { formatText } from '../../src/report/text.js';

const d = (overrides: Partial<Diagnostic>): Diagnostic => ({
  severity: 'error',
  code: 'c',
  file: 'f.yaml',
  line: 1,
  column: 1,
  message: 'm',
  ...overrides,
});

describe('formatText', () => {
  it('keeps the caret in view on a very long line', () => {
    const source = `key: ${'x'.repeat(300)}BAD${'y'.repeat(300)}`;
    const out = formatText({
      command: 'validate',
      tool: { name: 'flagops', version: '0' },
      diagnostics: [d({ column: 306, endLine: 1, endColumn: 309 })],
      files: 1,
      sources: new Map([['f.yaml', source]]),
    });
    const [, , frame, caret] = out.split('\n');
    expect(frame).toContain('…');
    expect(frame!.length).toBeLessThan(140);
    expect(frame!.slice(caret!.indexOf('^'), caret!.indexOf('^') + 3)).toBe('BAD');
  });

  it('puts the caret under the error after wide characters and emoji (display width, not code units)', () => {
    const source = 'description: 日本語🚀 and é\u0301 then BAD';
    const column = source.indexOf('BAD') + 1;
    const out = formatText({
      command: 'validate',
      tool: { name: 'flagops', version: '0' },
      diagnostics: [d({ column, endLine: 1, endColumn: column + 3 })],
      files: 1,
      sources: new Map([['f.yaml', source]]),
    });
    const [, , frame, caret] = out.split('\n');
    expect(frame).toBe(`  1 | ${source}`);
    // 日本語 and 🚀 take two terminal columns each, the combining accent none.
    const before = 'description: '.length + 6 + 2 + ' and '.length + 1 + ' then '.length;
    expect(caret).toBe(`    | ${' '.repeat(before)}^^^`);
  });

  it('shows control characters in a code frame as visible symbols, never raw', () => {
    const source = 'description: "a\u0000b\u001bc\u202ed" BAD';
    const column = source.indexOf('BAD') + 1;
    const out = formatText({
      command: 'validate',
      tool: { name: 'flagops', version: '0' },
      diagnostics: [d({ column })],
      files: 1,
      sources: new Map([['f.yaml', source]]),
    });
    const [, , frame, caret] = out.split('\n');
    expect(frame).toBe('  1 | description: "a\u2400b\u241bc\ufffdd" BAD');
    expect(frame).not.toMatch(/[\p{Cc}\u202e]/u);
    expect(caret!.indexOf('^')).toBe(frame!.indexOf('BAD'));
  });

  it('colours only when asked', () => {
    const report = {
      command: 'validate',
      tool: { name: 'flagops', version: '0' },
      diagnostics: [d({})],
      files: 1,
    };
    expect(formatText(report, { color: false })).not.toContain('\u001b[');
    expect(formatText(report, { color: true })).toContain('\u001b[31merror');
  });

  it('sorts by file and position and counts notes', () => {
    const out = formatText({
      command: 'validate',
      tool: { name: 'flagops', version: '0' },
      diagnostics: [
        d({ file: 'b', line: 2 }),
        d({ file: 'a', line: 9, severity: 'info' }),
        d({ file: 'b', line: 1 }),
      ],
      files: 2,
    });
    expect(out.split('\n').filter((l) => /^\S+:\d+:\d+ /.test(l))).toEqual([
      'a:9:1 info c',
      'b:1:1 error c',
      'b:2:1 error c',
    ]);
    expect(out.trimEnd().split('\n').at(-1)).toBe('✖ 2 errors, 0 warnings, 1 note (2 files checked)');
  });
});
