import { describe, expect, it } from 'vitest';
import { DEFAULT_PATTERNS } from '../../../src/core/lifecycle/scan/patterns/configured-patterns.js';
import { analyseFile } from '../../../src/scan/facts/typescript/analyse-file.js';

/** The reasons `--explain` prints quote the code as written. */
describe('why a candidate was dropped', () => {
  it('names this.isEnabled() of a class with its own isEnabled', () => {
    const facts = analyseFile('a.ts', 'class C {\n  isEnabled(k: string) { return k.length > 0; }\n  run() { return this.isEnabled(\'new-checkout\'); }\n}\n', DEFAULT_PATTERNS);
    expect(facts.candidates.map((c) => c.dropped)).toEqual([{ rule: 'own-method', why: expect.stringMatching(/^this\.isEnabled\(\) calls the enclosing class's own isEnabled method/) }]);
  });
});
