import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { fixture, flagops, flagopsJson } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { tmpProject } from '../helpers/tmp.js';

type AjvDraft04 = typeof AjvDraft04Module.default;
const AjvDraft04: AjvDraft04 =
  (AjvDraft04Module as unknown as { default?: AjvDraft04 }).default ?? (AjvDraft04Module as unknown as AjvDraft04);

const lifecycle = fixture('scan', 'lifecycle');
const codes = (json: { diagnostics: { code: string; file: string; line: number }[] }) =>
  json.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`).sort();

const flag = (type: string, extra = '', env = 'production: { enabled: true, serve: { percentage: 50 } }') => `description: A flag for a test.
owner: "@acme/web"
type: ${type}
created: 2026-10-01
${extra}environments:
  ${env}
`;

describe('flagops scan: findings and exit codes', () => {
  it('fails the build at every reference to an expired flag, naming the date and the owner', () => {
    const { code, stdout } = flagops(['scan', 'src/more.ts', '--now', '2026-11-05'], lifecycle);
    expect(stdout).toContain(`src/more.ts:3:65 error expired-flag-referenced
  Flag "expired-in-use" expired after 2026-11-01, its last day (owner @acme/payments), and this code still reads it.
  3 | export const again = flags.isEnabled(/*> expired-in-use call */ 'expired-in-use');
    |                                                                 ^^^^^^^^^^^^^^^^
  hint: Remove the flag from this code, then delete flags/expired-in-use.yaml; or move expires later in that file if it must stay. Every environment serves "on" to everyone: keep that path.
`);
    expect(stdout).toMatch(/\nScanned 1 source file \(4 lines\) in \d+\.\d s: 1 reference to 1 of 9 flags\.\n/);
    expect(stdout).toContain('\nUnused and expired-unreferenced flags are only reported when the whole project is scanned (no paths).\n');
    expect(stdout).toMatch(/\n✖ 1 error, \d+ warnings \(1 file checked\)\n$/);
    expect(code).toBe(1);
  });

  it('passes the same code on a day before the expiry, and --now +Nd looks ahead from today', () => {
    expect(flagops(['scan', 'src/more.ts', '--now', '2026-10-15'], lifecycle).code).toBe(0);
    const ahead = flagopsJson(['scan', 'src/more.ts', '--now', '+3650d'], lifecycle);
    expect(codes(ahead.json).filter((c) => c.startsWith('expired-flag-referenced'))).toEqual(['expired-flag-referenced src/more.ts:3']);
  });

  it('treats expires as the last day of use, a UTC day, whatever the time zone of the machine', () => {
    // expired-in-use expires: 2026-11-01, its last day.
    for (const TZ of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
      const at = (now: string) => flagops(['scan', 'src/more.ts', '--now', now], lifecycle, { env: { TZ } }).code;
      expect(at('2026-11-01'), TZ).toBe(0);
      expect(at('2026-11-01T23:59:59Z'), TZ).toBe(0);
      expect(at('2026-11-02'), TZ).toBe(1);
      expect(at('2026-11-01T16:00:00-08:00'), TZ).toBe(1);
    }
  });

  it('reports unused and expired-unreferenced flags only on a whole-project scan', () => {
    const whole = flagopsJson(['scan', '--now', '2026-11-05'], lifecycle);
    expect(codes(whole.json)).toContain('unused-flag flags/never-read.yaml:4');
    const part = flagopsJson(['scan', 'src', '--now', '2026-11-05'], lifecycle);
    expect(codes(part.json).filter((c) => /unused|unreferenced/.test(c))).toEqual([]);
    expect((part.json as unknown as { scan: { complete: boolean } }).scan.complete).toBe(false);
  });

  it('lists every reference with --list, and summarises flags in json', () => {
    const { stdout } = flagops(['scan', '--list', '--now', '2026-11-05'], lifecycle);
    expect(stdout).toContain('  src/app.ts:4:46  expired-in-use  call via isEnabled\n');
    const { json } = flagopsJson(['scan', '--now', '2026-11-05'], lifecycle);
    const flags = (json as unknown as { flags: { key: string; references: number; files: number; status: string }[] }).flags;
    expect(flags.find((f) => f.key === 'expired-in-use')).toMatchObject({ references: 3, files: 2, status: 'expired' });
    expect(flags.find((f) => f.key === 'never-read')).toMatchObject({ references: 0, status: 'unused' });
    expect(flags.find((f) => f.key === 'kill-switch')).toMatchObject({ references: 1, status: 'active' });
    expect(json.summary).toMatchObject({ errors: 3, warnings: 5, files: 3 });
  });

  it.each([
    [['scan', '--now', 'next week'], 'flagops: --now takes a date, not "next week".'],
    [['scan', 'no/such/dir'], 'flagops: No file or folder at no/such/dir.'],
  ])('exits 2 for %j', (args, message) => {
    const { code, stdout, stderr } = flagops(args, lifecycle);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(message);
    expect(code).toBe(2);
  });

  it('exits 2 on a broken scan configuration, at its position', () => {
    const root = tmpProject({ 'flagops.config.yaml': 'scan:\n  calls:\n    - { name: isOn, argumnt: 1 }\n', 'flags/a.yaml': flag('ops') });
    const { code, stdout } = flagops(['scan'], root);
    expect(stdout).toMatch(/^flagops.config.yaml:3:21 error unknown-field\n {2}Unknown field "argumnt" in scan.calls\[0\]\. Did you mean "argument"\?/);
    expect(code).toBe(2);
  });

  it('sarif: valid SARIF 2.1.0 with the scan codes as rules and results on source lines', () => {
    const { stdout } = flagops(['scan', '--format', 'sarif', '--now', '2026-11-05'], lifecycle);
    const log = JSON.parse(stdout);
    const schema = JSON.parse(readFileSync(fixture('schemas', 'sarif-2.1.0.schema.json'), 'utf8'));
    const validate = new AjvDraft04({ strict: false, validateFormats: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const rules = log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    expect(rules).toEqual(expect.arrayContaining(['orphaned-reference', 'expired-flag-referenced', 'stale-flag', 'dynamic-reference']));
    const expired = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'expired-flag-referenced');
    expect(expired.level).toBe('error');
    expect(expired.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 46, endLine: 4, endColumn: 62 },
    });
  });

  it('github: an annotation on the exact source line', () => {
    const { stdout } = flagops(['scan', 'src/more.ts', '--format', 'github', '--now', '2026-11-05'], lifecycle);
    expect(stdout).toContain('::error file=src/more.ts,line=3,col=65,endLine=3,endColumn=81,title=flagops expired-flag-referenced::Flag "expired-in-use" expired after 2026-11-01, its last day (owner @acme/payments)');
  });

  it('markdown: the findings table with what was scanned', () => {
    const { stdout } = flagops(['scan', '--format', 'markdown', '--now', '2026-11-05'], lifecycle);
    expect(stdout).toMatch(/^### flagops scan\n\nScanned 3 source files/);
    expect(stdout).toContain('| ❌ | `src/app.ts:12:46` | `orphaned-reference` |');
  });
});

describe('flagops scan: stale flags count from the last commit that changed them', () => {
  it('uses the last change up to --now', () => {
    const repo = new GitRepo({ 'flags/steady.yaml': flag('ops', '', 'production: { enabled: true, serve: on }'), 'src/a.ts': 'isEnabled(\'steady\');\n' });
    repo.git('add', '-A');
    const env = { ...process.env, GIT_AUTHOR_DATE: '2026-10-20T12:00:00Z', GIT_COMMITTER_DATE: '2026-10-20T12:00:00Z' };
    execGit(repo.root, ['commit', '-q', '-m', 'steady'], env);
    const at = (now: string) => flagopsJson(['scan', '--now', now], repo.root).json.diagnostics.map((d) => d.message);
    // Created 2026-10-01, changed 2026-10-20: ops flags are stale after 7 days of one variant.
    expect(at('2026-10-26')).toEqual([]);
    expect(at('2026-10-28')).toEqual(['Flag "steady" has served one variant to everyone for 8 days (since 2026-10-20): production "on".']);
    // Before that commit, the clock ran from created.
    expect(at('2026-10-15')).toEqual(['Flag "steady" has served one variant to everyone for 14 days (since 2026-10-01): production "on".']);
  });
});

describe('flagops scan: imports as TypeScript resolves them', () => {
  it('reads pnpm workspaces, jsconfig.json baseUrl, extends from a package, and a package built from src', () => {
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\n',
      'flags/a.yaml': flag('ops'),
      'flags/b.yaml': flag('ops'),
      'flags/c.yaml': flag('ops'),
      'pnpm-workspace.yaml': 'packages:\n  - "libs/*"\n',
      'libs/keys/package.json': JSON.stringify({ name: 'keys', exports: { './*': { types: './out/*.d.ts', default: './out/*.js' } } }),
      'libs/keys/tsconfig.json': '{ "extends": "@acme/tsconfig/base.json", "compilerOptions": { "outDir": "out", "rootDir": "lib" } }',
      'libs/keys/lib/first.ts': 'export const A = \'a\';\n',
      'node_modules/@acme/tsconfig/base.json': '{ "compilerOptions": { "strict": true } }',
      'web/jsconfig.json': '{ "compilerOptions": { "baseUrl": "src" } }',
      'web/src/shared/keys.js': 'export const B = \'b\';\nexport const C = \'c\';\n',
      'web/src/app.js': 'import { A } from \'keys/first\';\nimport { B } from \'shared/keys\';\nimport * as K from \'shared/keys.js\';\nisEnabled(A);\nisEnabled(B);\nisEnabled(K.C);\n',
    });
    const { json, code } = flagopsJson(['scan'], root);
    const refs = (json as unknown as { references: { flag: string | null }[] }).references;
    expect(refs.map((r) => r.flag)).toEqual(['a', 'b', 'c']);
    expect(code).toBe(0);
  });
});

describe('flagops scan: no silent misses', () => {
  it('lists every flag file with its references, invalid ones too, and counts them right', () => {
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\n',
      'flags/a.yaml': flag('ops'),
      'flags/b.yaml': 'owner: [not, a, string]\n',
      'src/app.ts': 'isEnabled(\'a\');\nisEnabled(\'b\');\nisEnabled(\'b\');\n',
    });
    const { json } = flagopsJson(['scan', '--now', '2026-10-05'], root);
    const flags = (json as unknown as { flags: { key: string; status: string; references: number; files: number }[] }).flags;
    expect(flags.map((f) => `${f.key} ${f.status} ${f.references} ${f.files}`).sort()).toEqual(['a active 1 1', 'b invalid 2 1']);
    const text = flagops(['scan', '--now', '2026-10-05'], root).stdout;
    expect(text).toContain(': 3 references to 2 of 2 flags (1 with invalid files).');
    expect(text).toContain('1 flag file has errors');
  });

  it('names an include glob that matched nothing, and scans nothing for scan.include: []', () => {
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: ["src/**", "scr/**"]\n',
      'flags/a.yaml': flag('ops'),
      'src/app.ts': 'isEnabled(\'a\');\n',
    });
    const { json, code } = flagopsJson(['scan'], root);
    expect((json as unknown as { scan: { unmatchedInclude: string[] } }).scan.unmatchedInclude).toEqual(['scr/**']);
    expect(flagops(['scan'], root).stdout).toContain('scan.include "scr/**" matched no source file.');
    expect(code).toBe(0);
    const flagsOnly = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: []\n',
      'flags/a.yaml': flag('ops'),
    });
    const none = flagopsJson(['scan', '--now', '2027-06-01'], flagsOnly);
    expect(none.json.diagnostics).toEqual([]);
    expect((none.json as unknown as { scan: { complete: boolean } }).scan.complete).toBe(false);
    expect(none.code).toBe(0);
  });
});

describe('flagops scan: which files', () => {
  it('honours include, exclude and .gitignore, skips node_modules and build output, reads every extension', () => {
    const read = (key: string) => `isEnabled('${key}');\n`;
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  exclude: ["**/*.test.ts", "legacy/**"]\n',
      'flags/a.yaml': flag('ops'),
      '.gitignore': 'generated/\n*.gen.ts\n!keep.gen.ts\n',
      'src/x.ts': read('a'),
      'src/x.tsx': read('a'),
      'src/x.mts': read('a'),
      'src/x.cts': read('a'),
      'src/x.js': read('a'),
      'src/x.jsx': read('a'),
      'src/x.mjs': read('a'),
      'src/x.cjs': read('a'),
      'src/x.test.ts': read('a'),
      'src/x.gen.ts': read('a'),
      'src/keep.gen.ts': read('a'),
      'src/nested/.gitignore': 'local.ts\n',
      'src/nested/local.ts': read('a'),
      'src/nested/other.ts': read('a'),
      'src/readme.md': read('a'),
      'generated/y.ts': read('a'),
      'legacy/z.ts': read('a'),
      'node_modules/pkg/index.js': read('a'),
      'dist/bundle.js': read('a'),
      'packages/web/build/out.js': read('a'),
      'packages/web/src/app.ts': read('a'),
    });
    symlinkSync(join(root, 'src'), join(root, 'linked-src'));
    const { json } = flagopsJson(['scan'], root);
    const files = (json as unknown as { references: { file: string }[] }).references.map((r) => r.file).sort();
    expect(files).toEqual([
      'packages/web/src/app.ts',
      'src/keep.gen.ts',
      'src/nested/other.ts',
      'src/x.cjs',
      'src/x.cts',
      'src/x.js',
      'src/x.jsx',
      'src/x.mjs',
      'src/x.mts',
      'src/x.ts',
      'src/x.tsx',
    ]);
  });

  it('scans a file named on the command line whatever the globs say', () => {
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: ["src/**"]\n',
      'flags/a.yaml': flag('ops'),
      'tools/script.ts': 'isEnabled(\'a\');\n',
    });
    // With nothing under src/ the configured scan reads no file: that is an error, not a clean pass.
    const none = flagops(['scan'], root);
    expect(none.stderr).toContain('matches scan.include (src/**), so there is nothing to scan.');
    expect(none.code).toBe(2);
    const named = flagopsJson(['scan', 'tools/script.ts'], root).json as unknown as { references: { file: string }[] };
    expect(named.references.map((r) => r.file)).toEqual(['tools/script.ts']);
  });

  it('skips a file over scan.maxFileBytes with a note, and follows keys into files outside the scan', () => {
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: ["src/**"]\n  maxFileBytes: 1024\n',
      'flags/a.yaml': flag('ops'),
      'src/big.js': `// ${'x'.repeat(2000)}\nisEnabled('a');\n`,
      'src/small.ts': 'import { KEY } from \'../shared/keys\';\nisEnabled(KEY);\n',
      'shared/keys.ts': 'export const KEY = \'a\';\n',
    });
    const { json, code } = flagopsJson(['scan'], root);
    expect(json.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}`)).toEqual(['info source-too-large src/big.js']);
    expect((json as unknown as { references: { file: string; flag: string }[] }).references).toMatchObject([{ file: 'src/small.ts', flag: 'a' }]);
    expect(code).toBe(0);
  });

  // As root every file is readable, so the CLI runs as nobody (uid 65534) when nobody may read the checkout.
  const asRoot = process.getuid?.() === 0;
  it.runIf(!asRoot || canRunAsNobody())('reports a source file it may not read, and keeps going', () => {
    const root = tmpProject({ 'flags/a.yaml': flag('ops'), 'src/secret.ts': 'isEnabled(\'a\');\n', 'src/open.ts': 'isEnabled(\'a\');\n' });
    chmodSync(join(root, 'src', 'secret.ts'), 0o000);
    chmodSync(root, 0o755);
    const { json } = flagopsJson(['scan'], root, asRoot ? { uid: 65534, gid: 65534 } : {});
    expect(json.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}`)).toEqual(['warning source-unreadable src/secret.ts']);
    expect((json as unknown as { references: { file: string }[] }).references.map((r) => r.file)).toEqual(['src/open.ts']);
  });
});

function canRunAsNobody(): boolean {
  return flagops(['--version'], fixture('scan', 'forms'), { uid: 65534, gid: 65534 }).code === 0;
}

function execGit(cwd: string, args: string[], env: NodeJS.ProcessEnv) {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' });
}
