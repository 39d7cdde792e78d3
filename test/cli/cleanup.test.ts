import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectAfter, formsProject, NOW, snapshot } from '../helpers/cleanup-project.js';
import { flagops, flagopsJson, repoRoot } from '../helpers/cli.js';
import { tmpProject } from '../helpers/tmp.js';

const FINISHED = ['new-checkout', 'legacy-banner', 'pricing-page'];

describe('flagops cleanup on every form it rewrites', () => {
  it('--dry-run changes nothing, lists every edit and gives a diff that git apply takes', () => {
    const root = formsProject();
    const before = snapshot(root);
    const run = flagopsJson(['cleanup', ...FINISHED, '--dry-run', ...NOW], root);
    expect(run.code).toBe(0);
    const json = run.json as unknown as {
      cleaned: { flag: string; variant: string }[];
      edits: { action: string; file: string; flag?: string; name?: string; line?: number }[];
      files: { file: string; change: string }[];
      diff: string;
    };
    expect(json.cleaned.map((c) => `${c.flag}=${c.variant}`)).toEqual(['new-checkout=on', 'legacy-banner=off', 'pricing-page=compact']);
    expect(json.edits.filter((e) => e.action === 'replace-read').length).toBe(29);
    expect(json.diff).toContain('--- a/src/if-else.ts\n+++ b/src/if-else.ts\n');
    expect(json.diff).toContain('--- a/flags/new-checkout.yaml\n+++ /dev/null\n');
    expect(json.edits).toContainEqual({ action: 'remove-name', file: 'src/wrapper.ts', name: 'isOn', why: 'a wrapper nothing calls any more' });
    expect(json.edits).toContainEqual({ action: 'remove-name', file: 'src/keys.ts', name: 'NEW_CHECKOUT', why: 'the name of key "new-checkout"' });
    expect(json.files).toContainEqual({ file: 'flags/legacy-banner.yaml', change: 'deleted', role: 'flag' });
    expect(snapshot(root)).toEqual(before);
    // The diff is one git apply takes: applied, it gives what cleanup itself writes.
    writeFileSync(join(root, 'cleanup.patch'), json.diff);
    const applied = spawnSync('git', ['apply', 'cleanup.patch'], { cwd: root, encoding: 'utf8' });
    expect(applied.stderr).toBe('');
    expectAfter(root);
    expect(existsSync(join(root, 'flags/pricing-page.yaml'))).toBe(false);
  });

  it('makes exactly the after/ files, which compile with tsc; a scan finds none of the flags; a second run changes nothing', () => {
    const root = formsProject();
    const run = flagops(['cleanup', ...FINISHED, ...NOW], root);
    expect(run.stdout).toContain('Removed "pricing-page" keeping "compact" ("compact-grid"; production serves "compact" to everyone), 6 source files');
    expect(run.stdout).toContain('tsc --noEmit -p tsconfig.json passes after cleanup');
    expect(run.code).toBe(0);
    expectAfter(root);
    for (const flag of FINISHED) expect(existsSync(join(root, 'flags', `${flag}.yaml`))).toBe(false);
    const scan = flagopsJson(['scan', ...NOW], root).json as unknown as { references: { flag: string }[] };
    expect(scan.references.map((r) => r.flag)).toEqual(['search-limit', 'search-limit']);
    const state = snapshot(root);
    const again = flagops(['cleanup', '--ready', ...NOW], root);
    expect(again.stdout).toContain('No flag is ready for removal.');
    expect(again.code).toBe(0);
    expect(flagops(['cleanup', 'new-checkout', ...NOW], root).code).toBe(2);
    expect(snapshot(root)).toEqual(state);
  });
});

describe('flagops cleanup in a monorepo', () => {
  it('type-checks each package it edits with its own tsconfig.json', () => {
    const tsconfig = '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext", "noEmit": true, "types": [] } }\n';
    const root = tmpProject({
      'package.json': '{ "private": true, "type": "module", "workspaces": ["packages/*"] }\n',
      'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: ["packages/*/src/**/*.ts"]\n',
      'flags/old.yaml': 'description: Done.\nowner: "@acme/web"\ntype: release\ncreated: 2026-11-01\nexpires: 2026-12-01\nenvironments:\n  production: { enabled: true, serve: on }\n',
      'packages/web/tsconfig.json': tsconfig,
      'packages/web/src/page.ts': 'declare const flags: { isEnabled(key: string): boolean };\nexport const page = flags.isEnabled(\'old\') ? \'new\' : \'old\';\n',
      'packages/api/tsconfig.json': tsconfig,
      'packages/api/src/route.ts': 'declare const flags: { isEnabled(key: string): boolean };\nexport function route(): number {\n  if (!flags.isEnabled(\'old\')) return 404;\n  return 200;\n}\n',
      'packages/untouched/tsconfig.json': '{ "include": ["missing"] }\n',
    });
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    const run = flagopsJson(['cleanup', 'old', ...NOW], root);
    const data = run.json as unknown as { check: { command: string; passed: boolean } };
    expect(data.check).toMatchObject({ command: 'tsc --noEmit -p packages/api/tsconfig.json && tsc --noEmit -p packages/web/tsconfig.json', passed: true });
    expect(run.code).toBe(0);
    expect(readFileSync(join(root, 'packages/api/src/route.ts'), 'utf8')).toBe('declare const flags: { isEnabled(key: string): boolean };\nexport function route(): number {\n  return 200;\n}\n');
    expect(readFileSync(join(root, 'packages/web/src/page.ts'), 'utf8')).toBe('declare const flags: { isEnabled(key: string): boolean };\nexport const page = \'new\';\n');
  });
});

describe('flagops cleanup with generated code', () => {
  it('rewrites reads through the generated Flags object and typed client, and regenerates the module without the flag', () => {
    const root = formsProject();
    writeFileSync(join(root, 'flagops.config.yaml'), `${readFileSync(join(root, 'flagops.config.yaml'), 'utf8')}codegen:\n  targets: [openfeature-server]\n`);
    expect(flagops(['codegen', ...NOW], root).code).toBe(0);
    writeFileSync(
      join(root, 'src/typed.ts'),
      `import { OpenFeature } from '@openfeature/server-sdk';\nimport { Flags, typedOpenFeature } from './flags.gen.js';\n\nconst client = typedOpenFeature(OpenFeature.getClient());\n\n` +
      `export async function steps(): Promise<string[]> {\n  return (await client.getBooleanValue(Flags.newCheckout, false)) ? ['one-page'] : ['cart'];\n}\n\n` +
      `export const limit = () => client.getNumberValue(Flags.searchLimit, 10);\n`,
    );
    const run = flagops(['cleanup', 'new-checkout', ...NOW], root);
    expect(run.stdout).toContain('passes after cleanup');
    expect(run.code).toBe(0);
    expect(readFileSync(join(root, 'src/typed.ts'), 'utf8')).toContain('export async function steps(): Promise<string[]> {\n  return [\'one-page\'];\n}');
    const generated = readFileSync(join(root, 'src/flags.gen.ts'), 'utf8');
    expect(generated).not.toContain('new-checkout');
    expect(generated).toContain('searchLimit: \'search-limit\'');
    expect(flagops(['codegen', '--check', ...NOW], root).code).toBe(0);
  });
});

describe('flagops cleanup regenerates what codegen wrote, wherever it is', () => {
  it.each([
    ['where the configuration init writes (no codegen section) puts it', [], 'src/flags.gen.ts', 'flags.json'],
    ['wherever --out and --manifest put it', ['--out', 'generated/flag-keys.ts', '--manifest', 'meta/flags.json'], 'generated/flag-keys.ts', 'meta/flags.json'],
  ])('%s', (_where, options, module, manifest) => {
    const root = formsProject();
    expect(readFileSync(join(root, 'flagops.config.yaml'), 'utf8')).not.toContain('codegen:');
    expect(flagops(['codegen', ...options, ...NOW], root).code).toBe(0);
    expect(readFileSync(join(root, module), 'utf8')).toContain('\'new-checkout\'');
    const run = flagopsJson(['cleanup', 'new-checkout', '--no-check', ...NOW], root);
    expect(run.code).toBe(0);
    const files = (run.json as unknown as { files: { file: string; role: string }[] }).files;
    expect(files.filter((f) => f.role === 'codegen').map((f) => f.file).sort()).toEqual([manifest, module].sort());
    expect(readFileSync(join(root, module), 'utf8')).not.toContain('new-checkout');
    expect(readFileSync(join(root, manifest), 'utf8')).not.toContain('new-checkout');
    // What cleanup wrote is what codegen makes now.
    expect(flagops(['codegen', ...options, '--check', ...NOW], root).code).toBe(0);
  });
});

describe('flagops cleanup on the example shop', () => {
  it('removes new-checkout through the shop\'s wrapper and key object; the shop still typechecks and its flag specs pass', () => {
    const root = tmpProject();
    cpSync(join(repoRoot, 'examples/shop'), join(root, 'examples/shop'), { recursive: true });
    for (const part of ['flags', 'segments']) cpSync(join(repoRoot, part), join(root, part), { recursive: true });
    cpSync(join(repoRoot, 'flag-tests'), join(root, 'flag-tests'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    writeFileSync(join(root, 'package.json'), '{ "private": true, "type": "module" }\n');
    const config = readFileSync(join(repoRoot, 'flagops.config.yaml'), 'utf8').replace('examples/**/*.{ts,tsx,py,go}', 'examples/shop/**/*.{ts,tsx}');
    writeFileSync(join(root, 'flagops.config.yaml'), `${config}cleanup:\n  check: node node_modules/typescript/bin/tsc -p examples/shop\n`);
    const run = flagops(['cleanup', 'new-checkout', ...NOW], root);
    expect(run.stdout).toContain('node node_modules/typescript/bin/tsc -p examples/shop passes after cleanup');
    expect(run.code).toBe(0);
    const checkout = readFileSync(join(root, 'examples/shop/src/checkout.ts'), 'utf8');
    expect(checkout).toContain('const steps = [\'one-page\'];');
    expect(checkout).toContain('isFeatureOn(FLAGS.EXPRESS_PAY, user)');
    expect(readFileSync(join(root, 'examples/shop/src/flags.ts'), 'utf8')).not.toContain('NEW_CHECKOUT: \'new-checkout\'');
    const specs = flagops(['test', ...NOW], root);
    expect(specs.code).toBe(0);
    expect(readFileSync(join(root, 'flag-tests/checkout.yaml'), 'utf8')).not.toContain('new-checkout');
  });
});
