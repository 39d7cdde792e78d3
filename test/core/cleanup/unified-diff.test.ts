import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../src/core/shared/unified-diff.js';

/** Applies a diff with git apply, as a user would apply --dry-run's output. */
function gitApply(before: string, diff: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-diff-'));
  try {
    writeFileSync(join(dir, 'file.ts'), before);
    writeFileSync(join(dir, 'change.patch'), diff);
    const result = spawnSync('git', ['apply', 'change.patch'], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    return readFileSync(join(dir, 'file.ts'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = fc.constantFrom('a', 'b', 'c', 'if (on) {', '}', '', '  return 1;');
const text = fc.array(line, { maxLength: 30 }).map((lines) => lines.map((l) => `${l}\n`).join(''));

describe('unifiedDiff', () => {
  it('is a diff git apply takes, giving the text after', () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        fc.pre(before !== after && before !== '');
        expect(gitApply(before, unifiedDiff('file.ts', before, after))).toBe(after);
      }),
      { numRuns: 40 },
    );
  });

  it('is empty for equal texts, and shows a deleted file against /dev/null', () => {
    expect(unifiedDiff('x.ts', 'a\n', 'a\n')).toBe('');
    expect(unifiedDiff('x.ts', 'a\nb\n', null)).toBe('--- a/x.ts\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n');
  });
});
