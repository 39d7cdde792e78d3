import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formsProject, NOW, snapshot } from '../helpers/cleanup-project.js';
import { flagops, flagopsJson } from '../helpers/cli.js';
import { tmpProject } from '../helpers/tmp.js';

describe('flagops cleanup refuses, and leaves every file as it was', () => {
  it('when the flag serves different values to different users, unless --keep says which stays', () => {
    const root = formsProject();
    const before = snapshot(root);
    const refused = flagopsJson(['cleanup', 'search-limit', ...NOW], root);
    expect(refused.json.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['flags/search-limit.yaml cleanup-refused']);
    expect(refused.json.diagnostics[0]!.message).toContain('production serves different variants to different users; say which one stays with --keep <variant> (small, large)');
    expect(refused.code).toBe(1);
    expect(snapshot(root)).toEqual(before);
    const kept = flagops(['cleanup', 'search-limit', '--keep', 'large', '--no-check', ...NOW], root);
    expect(kept.code).toBe(0);
    expect(readFileSync(join(root, 'src/uses-keys.ts'), 'utf8')).toContain('out.push(String(50));');
    expect(readFileSync(join(root, 'src/hooks.tsx'), 'utf8')).toContain('<p>{String(50)}</p>');
  });

  it('when a dynamic read may read the flag (listed at its place), unless --force', () => {
    const root = formsProject();
    writeFileSync(join(root, 'src/loop.ts'), `import { flags } from './sdk.js';\n\nconst KEYS = ['legacy-banner', 'other'];\n\nexport const states = KEYS.map((key) => flags.isEnabled(key));\n`);
    const before = snapshot(root);
    const refused = flagopsJson(['cleanup', 'legacy-banner', ...NOW], root);
    expect(refused.json.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['src/loop.ts:5:57 cleanup-refused']);
    expect(refused.json.diagnostics[0]!.message).toContain('this dynamic reference (key) may read it');
    expect(refused.code).toBe(1);
    expect(snapshot(root)).toEqual(before);
    const forced = flagops(['cleanup', 'legacy-banner', '--force', '--no-check', ...NOW], root);
    expect(forced.code).toBe(0);
    expect(existsSync(join(root, 'flags/legacy-banner.yaml'))).toBe(false);
  });

  it('when a read is not tied to a flag SDK: a local object with an isEnabled of its own', () => {
    const root = formsProject();
    writeFileSync(
      join(root, 'src/shadow.ts'),
      `export function f() {\n  const flags = { isEnabled: (k: string) => k.length > 100 };\n  return flags.isEnabled('new-checkout');\n}\n`,
    );
    const before = snapshot(root);
    const refused = flagopsJson(['cleanup', 'new-checkout', ...NOW], root);
    expect(refused.json.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['src/shadow.ts:3:26 cleanup-refused']);
    expect(refused.json.diagnostics[0]!.message).toContain('this read (isEnabled) cannot be tied to a flag SDK');
    expect(refused.json.diagnostics[0]!.message).toContain('it is an object this code base makes, not a flag SDK client');
    expect(refused.code).toBe(1);
    expect(snapshot(root)).toEqual(before);
    // Named in scan.calls, the call is the user's word: then it is rewritten.
    writeFileSync(join(root, 'flagops.config.yaml'), readFileSync(join(root, 'flagops.config.yaml'), 'utf8').replace(/^scan:\n/m, 'scan:\n  calls: [{ name: isEnabled }]\n'));
    expect(readFileSync(join(root, 'flagops.config.yaml'), 'utf8')).toContain('calls: [{ name: isEnabled }]');
    const configured = flagops(['cleanup', 'new-checkout', '--no-check', ...NOW], root);
    expect(configured.code, configured.stdout + configured.stderr).toBe(0);
    expect(readFileSync(join(root, 'src/shadow.ts'), 'utf8')).toContain('return true;');
  });

  it('when other flags require the flag, unless they are cleaned up in the same run', () => {
    const root = formsProject();
    const file = join(root, 'flags/search-limit.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('environments:', 'requires: [legacy-banner]\nenvironments:'));
    const before = snapshot(root);
    const refused = flagopsJson(['cleanup', 'legacy-banner', '--no-check', ...NOW], root);
    expect(refused.json.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['flags/legacy-banner.yaml cleanup-refused']);
    expect(refused.json.diagnostics[0]!.message).toContain('search-limit requires it (prerequisites)');
    expect(snapshot(root)).toEqual(before);
    // With its dependent in the same run, both go: search-limit is off wherever legacy-banner is off.
    const both = flagops(['cleanup', 'legacy-banner', 'search-limit', '--no-check', ...NOW], root);
    expect(both.code, both.stdout).toBe(0);
    expect(existsSync(join(root, 'flags/legacy-banner.yaml'))).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('when a read cannot be rewritten: evaluation details used as a whole', () => {
    const root = formsProject();
    writeFileSync(join(root, 'src/details.ts'), `import { OpenFeature } from '@openfeature/server-sdk';\n\nexport const details = () => OpenFeature.getClient().getBooleanDetails('new-checkout', false);\n`);
    const before = snapshot(root);
    const refused = flagopsJson(['cleanup', 'new-checkout', ...NOW], root);
    expect(refused.json.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['src/details.ts:3:72 cleanup-refused']);
    expect(refused.json.diagnostics[0]!.message).toContain('uses the evaluation details as a whole');
    expect(refused.code).toBe(1);
    expect(snapshot(root)).toEqual(before);
  });

  it.each([
    ['TypeScript 5', 'typescript'],
    ['TypeScript 7', 'typescript-7'],
  ])('when the type check (%s) fails after editing: everything is put back, and it says whether it was the edit', (_version, typescript) => {
    const root = formsProject(typescript);
    writeFileSync(join(root, 'src/typed.ts'), `import { flags } from './sdk.js';\n\nexport const columns: number = flags.getValue<number>('pricing-page', undefined, 3);\n`);
    const before = snapshot(root);
    const failed = flagopsJson(['cleanup', 'pricing-page', ...NOW], root);
    expect(failed.json.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['src/typed.ts:3:1 cleanup-check-failed']);
    expect(failed.json.diagnostics[0]!.message).toBe(
      'After cleanup, tsc --noEmit -p tsconfig.json fails here: Type \'string\' is not assignable to type \'number\'. (TS2322). ' +
      'Cleanup had written this line as: export const columns: number = \'compact-grid\';',
    );
    expect(JSON.stringify(failed.json)).not.toContain('\\u001b');
    const data = failed.json as unknown as { applied: boolean; check: { passed: boolean; passesWithout: boolean } };
    expect(data.applied).toBe(false);
    expect(data.check).toMatchObject({ passed: false, passesWithout: true });
    expect(failed.code).toBe(1);
    expect(snapshot(root)).toEqual(before);
  });

  it('with --no-check or cleanup.check: null, no check runs; cleanup.check runs the given command', () => {
    const root = formsProject();
    writeFileSync(join(root, 'flagops.config.yaml'), `${readFileSync(join(root, 'flagops.config.yaml'), 'utf8')}cleanup:\n  check: node -e "process.exit(3)"\n`);
    const before = snapshot(root);
    const failed = flagops(['cleanup', 'legacy-banner', ...NOW], root);
    expect(failed.stdout).toContain('node -e "process.exit(3)" fails on the code as it is, without cleanup');
    expect(failed.code).toBe(1);
    expect(snapshot(root)).toEqual(before);
    const unchecked = flagops(['cleanup', 'legacy-banner', '--no-check', ...NOW], root);
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).not.toContain('passes after cleanup');
  });
});

describe('flagops cleanup --ready', () => {
  it('takes expired and stale flags, never a kill switch or a permission that serves one value by design', () => {
    const flag = (type: string, created: string, extra = '') =>
      `description: A flag.\nowner: "@acme/web"\ntype: ${type}\ncreated: ${created}\n${extra}environments:\n  production: { enabled: true, serve: on }\n`;
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: ["src/**/*.ts"]\n',
      'flags/expired-release.yaml': flag('release', '2026-11-01', 'expires: 2026-12-01\n'),
      'flags/stale-ops.yaml': flag('ops', '2026-11-01'),
      'flags/fresh-ops.yaml': flag('ops', '2026-12-08'),
      'flags/kill.yaml': flag('kill-switch', '2026-01-01'),
      'flags/admin.yaml': flag('permission', '2026-01-01'),
      'src/app.ts': `declare const flags: { isEnabled(key: string): boolean };\nexport const on = [${['expired-release', 'stale-ops', 'fresh-ops', 'kill', 'admin'].map((k) => `flags.isEnabled('${k}')`).join(', ')}];\n`,
    });
    const run = flagopsJson(['cleanup', '--ready', '--dry-run', ...NOW], root);
    const data = run.json as unknown as { cleaned: { flag: string; ready: string }[] };
    expect(data.cleaned.map((c) => c.flag)).toEqual(['expired-release', 'stale-ops']);
    expect(data.cleaned[1]!.ready).toBe('every environment serves "on" to everyone (production "on")');
    expect(run.code).toBe(0);
  });
});
