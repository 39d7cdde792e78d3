import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { referencePatterns } from '../../src/core/lifecycle/scan/patterns/configured-patterns.js';
import { PRESET_NAMES } from '../../src/core/definition/config-choices.js';
import { analysePython, preparePython } from '../../src/scan/facts/python/analyse-python.js';
import { fixture, flagops, flagopsJson, where } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { tmpProject } from '../helpers/tmp.js';

const AFTER_EXPIRY = ['--now', '2026-12-10'];

const flag = (expires = '2026-12-01') => `description: A flag for a test.
owner: "@acme/web"
type: release
created: 2026-11-01
expires: ${expires}
environments:
  production: { enabled: true, serve: on }
`;

describe('a Python service in the repository', () => {
  it('fails flagops check on an expired flag read in Python, at the line, in every format', () => {
    const dir = tmpProject();
    cpSync(fixture('scan', 'python-service'), dir, { recursive: true });
    const { code, json } = flagopsJson(['check', ...AFTER_EXPIRY], dir);
    expect(code).toBe(1);
    const expired = json.diagnostics.filter((d) => d.code === 'expired-flag-referenced').map(where).sort();
    expect(expired).toEqual([
      'app/api/checkout.py:10:33 error expired-flag-referenced',
      'app/api/checkout.py:12:42 error expired-flag-referenced',
      'app/api/checkout.py:14:27 error expired-flag-referenced',
      'app/api/checkout.py:15:19 error expired-flag-referenced',
      'app/api/checkout.py:17:19 error expired-flag-referenced',
      'app/api/checkout.py:28:12 error expired-flag-referenced',
    ]);
    const github = flagops(['check', ...AFTER_EXPIRY, '--format', 'github'], dir).stdout;
    expect(github).toContain('::error file=app/api/checkout.py,line=14,col=27');
    type Location = { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } };
    const sarif = JSON.parse(flagops(['check', ...AFTER_EXPIRY, '--format', 'sarif'], dir).stdout) as {
      runs: { results: { ruleId: string; locations: Location[] }[] }[];
    };
    const lines = sarif.runs[0]!.results
      .filter((r) => r.ruleId === 'expired-flag-referenced')
      .map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`);
    expect(lines).toContain('app/api/checkout.py:15');
  });

  it('calls no flag unused that only Python reads', () => {
    const dir = tmpProject();
    cpSync(fixture('scan', 'python-service'), dir, { recursive: true });
    const { json } = flagopsJson(['scan', '--now', '2026-11-30'], dir);
    expect(json.diagnostics.filter((d) => d.code === 'unused-flag')).toEqual([]);
  });

  it('reads the same on worker threads as on one thread', () => {
    const files: Record<string, string> = { 'flagops.config.yaml': 'environments:\n  production: {}\n' };
    for (let i = 0; i < 40; i++) files[`flags/flag-${i}.yaml`] = flag('2027-01-01');
    for (let i = 0; i < 400; i++) {
      files[`svc/m${i}.py`] = `from .names import KEY_${i % 40}\n\n\ndef f${i}(client):\n    return client.get_boolean_value(KEY_${i % 40}, False) or client.get_string_value("flag-${(i + 1) % 40}", "x")\n`;
    }
    files['svc/__init__.py'] = '';
    files['svc/names.py'] = Array.from({ length: 40 }, (_, i) => `KEY_${i} = "flag-${i}"`).join('\n');
    const dir = tmpProject(files);
    const one = flagopsJson(['scan', '--now', '2026-11-10'], dir, { env: { FLAGOPS_SCAN_WORKERS: '0' } });
    const two = flagopsJson(['scan', '--now', '2026-11-10'], dir, { env: { FLAGOPS_SCAN_WORKERS: '2' } });
    const found = (one.json as unknown as { references: { flag: string | null }[] }).references.filter((r) => r.flag !== null);
    expect(found).toHaveLength(800);
    expect(two.stdout).toBe(one.stdout);
  }, 60_000);

  it('names the included files it reads in no language, once, and scan.languages narrows what is read', () => {
    const dir = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: ["src/**"]\n  languages: [typescript]\n',
      'flags/new-checkout.yaml': flag('2027-01-01'),
      'src/app.ts': 'declare const flags: { isEnabled(k: string): boolean };\nexport const on = flags.isEnabled(\'new-checkout\');\n',
      'src/worker.py': 'client.get_boolean_value("new-checkout", False)\n',
      'src/a.css': 'a {}\n',
      'src/b.css': 'b {}\n',
    });
    const text = flagops(['scan', '--now', '2026-11-10'], dir).stdout;
    expect(text).toContain('Not read: scan.include matched 2 files .css, 1 file python, in no language flagops scans (or one scan.languages leaves out)');
    const { json } = flagopsJson(['scan', '--now', '2026-11-10'], dir);
    const scan = json as unknown as { scan: { unread: unknown }; references: { file: string }[] };
    expect(scan.scan.unread).toEqual([{ extension: '.css', files: 2 }, { extension: 'python', files: 1 }]);
    expect(scan.references.map((r) => r.file)).toEqual(['src/app.ts']);
  });
});

describe('flagops cleanup of a flag Python also reads', () => {
  function project(): GitRepo {
    const repo = new GitRepo({
      'flagops.config.yaml': 'environments:\n  production: {}\ncleanup:\n  check: null\n',
      'flags/new-checkout.yaml': flag(),
      'src/sdk.ts': 'export declare const flags: { isEnabled(key: string): boolean };\n',
      'src/app.ts': 'import { flags } from \'./sdk.js\';\n\nexport const total = flags.isEnabled(\'new-checkout\') ? 1 : 2;\n',
      'service/checkout.py': 'def total(client):\n    return 1 if client.get_boolean_value("new-checkout", False) else 2\n',
    });
    repo.commit('flags');
    return repo;
  }

  it('is refused with the Python read listed, and nothing changes', () => {
    const repo = project();
    const { code, json } = flagopsJson(['cleanup', 'new-checkout', ...AFTER_EXPIRY], repo.root);
    expect(code).toBe(1);
    expect(json.diagnostics.map(where)).toEqual(['service/checkout.py:2:42 error cleanup-refused']);
    expect(json.diagnostics[0]!.message).toContain('Python code reads it here (get_boolean_value)');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('with --typescript-only rewrites the TypeScript and leaves the Python as it is', () => {
    const repo = project();
    const python = readFileSync(join(repo.root, 'service/checkout.py'), 'utf8');
    const { code } = flagops(['cleanup', 'new-checkout', '--typescript-only', ...AFTER_EXPIRY], repo.root);
    expect(code).toBe(0);
    expect(readFileSync(join(repo.root, 'src/app.ts'), 'utf8')).toContain('export const total = 1;');
    expect(readFileSync(join(repo.root, 'service/checkout.py'), 'utf8')).toBe(python);
    expect(repo.git('status', '--porcelain').split('\n').map((l) => l.trim()).sort()).toEqual(['D flags/new-checkout.yaml', 'M src/app.ts']);
  });
});

describe('the Python analyser on arbitrary text', () => {
  beforeAll(async () => {
    await preparePython();
  });
  const fragments = ['is_enabled(', ')', '"a"', 'f"{x}"', 'import a.b as c', 'from .x import Y', 'class E(Enum):', '    A = "a"', 'def f(k):',
    '    return get_variant(k)', 'self.', 'E.A.value', '\n', '#', '"""', '(', ',', 'flag_key=', '*args', '@staticmethod', 'x = ', '+', '\\'];
  const patterns = referencePatterns({ defaults: false, presets: [...PRESET_NAMES], calls: [], hooks: [], maps: [], jsx: [] });
  it('never throws, and every candidate lies inside the text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string()), { maxLength: 60 }), (parts) => {
        const text = parts.join(' ');
        const facts = analysePython('f.py', text, patterns);
        const lines = text.split('\n').length;
        for (const c of facts.candidates) {
          expect(c.line).toBeGreaterThanOrEqual(1);
          expect(c.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
