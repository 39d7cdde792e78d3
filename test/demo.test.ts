import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagops, repoRoot } from './helpers/cli.js';
import { exampleProject } from './helpers/example-project.js';
import { spawnSync } from 'node:child_process';

const year = 365 * 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('npm run demo', () => {
  it('passes today, in a year and in five years, and still shows what an expired flag does', { timeout: 60_000 }, () => {
    const repo = exampleProject();
    for (const offset of [0, 1, 5]) {
      const now = day(Date.now() + offset * year);
      const demo = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/demo.js')], {
        cwd: repo.root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, NO_COLOR: '1', FLAGOPS_NOW: now },
      });
      expect(demo.status, `${now}\n${demo.stdout}${demo.stderr}`).toBe(0);
      expect(demo.stdout).toContain('✔ 33 files checked, no problems');
      expect(demo.stdout).toMatch(/examples\/shop\/src\/checkout\.ts:9:19 error expired-flag-referenced\n {2}Flag "express-pay" expired after 2026-12-10/);
      // The same flag read by the Python payments service fails the build on its Python line.
      expect(demo.stdout).toMatch(/examples\/services\/payments\/app\/api\.py:15:19 error expired-flag-referenced\n {2}Flag "express-pay" expired after 2026-12-10/);
      expect(demo.stdout).toMatch(offset === 0 ? /Synced: 12 added/ : /Up to date/);
    }
    // The clock did move: without the demo's pinned day, the same check fails five years on.
    expect(flagops(['check'], repo.root, { env: { FLAGOPS_NOW: day(Date.now() + 5 * year) } }).code).toBe(1);
    expect(flagops(['check'], repo.root, { env: { FLAGOPS_NOW: 'soon' } })).toMatchObject({ code: 2, stderr: expect.stringContaining('FLAGOPS_NOW takes a date, not "soon".') });
  });
});
