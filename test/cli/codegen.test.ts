import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { fixture, flagops, flagopsJson, repoRoot } from '../helpers/cli.js';
import { tmpProject } from '../helpers/tmp.js';

/** A copy of this repository's example flags with the codegen fixture's configuration. */
function exampleProject(): string {
  const root = tmpProject({ 'src/app.ts': 'export const app = true;\n' });
  for (const part of ['flags', 'segments']) cpSync(join(repoRoot, part), join(root, part), { recursive: true });
  cpSync(fixture('codegen', 'flagops.config.yaml'), join(root, 'flagops.config.yaml'));
  return root;
}

describe('flagops codegen', () => {
  it('writes the committed module and manifest for the example flags, and nothing changes on a second run', () => {
    const root = exampleProject();
    const first = flagops(['codegen', '--now', '2026-12-10'], root);
    expect(first.stdout).toContain('Wrote: src/flags.gen.ts, flags.json (12 flags, 2 @deprecated).');
    expect(first.code).toBe(0);
    expect(readFileSync(join(root, 'src/flags.gen.ts'), 'utf8')).toBe(readFileSync(fixture('codegen', 'expected.flags.gen.ts'), 'utf8'));
    expect(readFileSync(join(root, 'flags.json'), 'utf8')).toBe(readFileSync(fixture('codegen', 'expected.flags.json'), 'utf8'));
    const again = flagops(['codegen', '--now', '2026-12-10'], root);
    expect(again.stdout).toContain('Up to date: src/flags.gen.ts, flags.json');
    expect(flagops(['codegen', '--check', '--now', '2026-12-10'], root).code).toBe(0);
  });

  it('--check and flagops check report codegen-stale when a flag changes or a key reaches its @deprecated days', () => {
    const root = exampleProject();
    flagops(['codegen', '--now', '2026-11-27'], root);
    expect(flagops(['check', '--now', '2026-11-27'], root).stdout).toContain('Generated code is up to date (src/flags.gen.ts, flags.json).');
    // Two weeks later new-checkout (last day 2026-12-15) is within its 7 days: the module is stale.
    const later = flagopsJson(['codegen', '--check', '--now', '2026-12-09'], root);
    expect(later.json.diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(['codegen-stale src/flags.gen.ts']);
    expect(later.code).toBe(1);
    const file = join(root, 'flags/growth/holiday-banner.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^description: .*$/m, 'description: A new description.'));
    const check = flagopsJson(['check', '--now', '2026-11-27'], root);
    expect(check.json.diagnostics.filter((d) => d.code === 'codegen-stale').map((d) => d.file).sort()).toEqual(['flags.json', 'src/flags.gen.ts']);
    expect(check.code).toBe(1);
  });

  it('writes nothing while a flag file has errors', () => {
    const root = exampleProject();
    writeFileSync(join(root, 'flags/broken.yaml'), 'owner: [not, a, string]\n');
    const run = flagops(['codegen'], root);
    expect(run.stdout).toContain('Nothing was written: fix the flag files first.');
    expect(run.code).toBe(1);
    expect(() => readFileSync(join(root, 'src/flags.gen.ts'))).toThrow();
  });
});

describe('the generated module, compiled with TypeScript', () => {
  const generated = readFileSync(fixture('codegen', 'expected.flags.gen.ts'), 'utf8');
  const consumer = `import { createFlagClient } from 'flagops';
import { OpenFeature } from '@openfeature/server-sdk';
import { Flags, typedFlags, typedOpenFeature } from './flags.gen.js';

const flags = typedFlags(createFlagClient({ file: 'store.json' }));
export const on: boolean = flags.isEnabled(Flags.newCheckout, { userId: 'u-1' });
export const typo = flags.isEnabled('new-chekout');
export const notBoolean = flags.isEnabled('pricing-page-test');
const variant = flags.getVariant('pricing-page-test');
export const never = variant === 'annual';
export const narrowed: 'control' | 'compact' | 'annual-first' | undefined = variant;
export const express = Flags.expressPay;
export const price: Promise<'classic' | 'compact-grid' | 'annual-first'> = typedOpenFeature(OpenFeature.getClient()).getStringValue('pricing-page-test', 'classic');
// The typed view is the whole client: ready, on, close and a typed evaluate.
export const started: Promise<boolean> = flags.ready().then((r) => r.ready);
flags.on('changed', ({ changed }) => changed.length);
export const details: 'classic' | 'compact-grid' | 'annual-first' = flags.evaluate('pricing-page-test', undefined, 'classic').value;
export const closing: Promise<void> = flags.close();
export const hooks = typedOpenFeature(OpenFeature.getClient()).getBooleanDetails('dark-mode', false);
export const misspeltDetails = flags.evaluate('dark-mod');
// The SDK's own types take the generated keys without casts.
export const raw = createFlagClient({ file: 'store.json' }).getVariant(Flags.pricingPageTest);
import { OpenFeature as WebFeature } from '@openfeature/web-sdk';
import { typedOpenFeatureWeb, useBooleanFlag, useStringFlag } from './flags.gen.js';
export const web: boolean = typedOpenFeatureWeb(WebFeature.getClient()).getBooleanValue('dark-mode', false);
export function useBanner() {
  const pricing: 'classic' | 'compact-grid' | 'annual-first' = useStringFlag('pricing-page-test', 'classic');
  return [useBooleanFlag('holiday-banner', false), pricing, useBooleanFlag('search-backend', false)];
}
`;
  const files: Record<string, string> = { '/project/flags.gen.ts': generated, '/project/consumer.ts': consumer };
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    paths: {
      flagops: [join(repoRoot, 'src/index.ts')],
      '@openfeature/*': [join(repoRoot, 'node_modules/@openfeature/*')],
    },
  };
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => Object.keys(files),
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = files[name] ?? (ts.sys.fileExists(name) ? ts.sys.readFile(name) : undefined);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => '/project',
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (name) => name in files || ts.sys.fileExists(name),
    readFile: (name) => files[name] ?? ts.sys.readFile(name),
    readDirectory: ts.sys.readDirectory,
    directoryExists: (name) => name === '/project' || ts.sys.directoryExists(name),
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host);
  const lineOf = (d: ts.Diagnostic) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1;

  it('makes a misspelt key, a key of the wrong type and an impossible variant compile errors, and nothing else', () => {
    const errors = service.getSemanticDiagnostics('/project/consumer.ts').map((d) => `${lineOf(d)} TS${d.code}`);
    expect(errors).toEqual(['7 TS2345', '8 TS2345', '10 TS2367', '20 TS2345', '28 TS2345']);
    expect(service.getSemanticDiagnostics('/project/flags.gen.ts')).toEqual([]);
  });

  it('shows a key within its @deprecated days as deprecated where it is used', () => {
    const deprecated = service.getSuggestionDiagnostics('/project/consumer.ts').filter((d) => d.reportsDeprecated);
    expect(deprecated.map((d) => `${lineOf(d)} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([
      '6 \'newCheckout\' is deprecated.',
      '12 \'expressPay\' is deprecated.',
    ]);
  });
});
