import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, flagopsJson } from '../helpers/cli.js';

/**
 * Each read of new-nav in the fixture ends with `// tied` or `// untied: <why>`: cleanup rewrites
 * only the tied ones (a read through a flag SDK, a configured call or an inferred wrapper).
 */
describe('which flag reads the scan ties to a flag SDK', () => {
  it('ties imports, clients made or typed by an SDK, declared stubs and SDK hooks; not the code base\'s own objects', () => {
    const dir = fixture('sdk-ties');
    const expected = readFileSync(`${dir}/src/reads.ts`, 'utf8').split('\n').flatMap((line, i) => {
      const m = /\/\/ (tied|untied: (.*))$/.exec(line);
      return m ? [`${i + 1} ${m[2] ?? 'tied'}`] : [];
    });
    const { json } = flagopsJson(['scan', '--now', '2026-11-10'], dir);
    const references = (json as unknown as { references: { file: string; line: number; untied?: string }[] }).references;
    expect(references.filter((r) => r.file === 'src/reads.ts').map((r) => `${r.line} ${r.untied ?? 'tied'}`)).toEqual(expected);
    expect(expected).toHaveLength(11);
  });
});
