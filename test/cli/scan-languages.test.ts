import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { referencePatterns } from '../../src/core/lifecycle/scan/patterns/configured-patterns.js';
import { PRESET_NAMES } from '../../src/core/definition/config-choices.js';
import type { ModuleFacts } from '../../src/core/lifecycle/scan/facts.js';
import { analyseGo, prepareGo } from '../../src/scan/facts/go/analyse-go.js';
import { analysePython, preparePython } from '../../src/scan/facts/python/analyse-python.js';
import { candidatesStayInside } from '../helpers/analyser-property.js';
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
      'app/api/reports.py:7:19 error expired-flag-referenced',
      'app/api/reports.py:9:24 error expired-flag-referenced',
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

describe('flagops scan --explain in Python and Go', () => {
  const places = (name: string, flag: string) => {
    const { json } = flagopsJson(['scan', '--now', '2026-11-10', '--explain', flag], fixture('scan', name));
    type Place = { file: string; line: number; column: number; status: string; rule?: string; why: string };
    const explain = (json as unknown as { explain: { places: Place[] } }).explain;
    return explain.places.map((p) => `${p.file}:${p.line}:${p.column} ${p.status}${p.rule ? ` ${p.rule}` : ''}: ${p.why.slice(0, 40)}`);
  };

  it('lists what was counted, what a rule dropped and why, and where the key is only written', () => {
    expect(places('python-lookalikes', 'dark-mode')).toEqual([
      'service/strategy.py:2:13 not-read: a string that no flag call reads',
      'service/strategy.py:10:32 dropped own-method: self.is_enabled() calls the class\'s own ',
      'service/unleash_client.py:9:31 counted: a call of get_variant() (a preset) with ',
      // The marker comment names the key twice.
      'service/unleash_client.py:9:48 not-read: in a comment',
      'service/unleash_client.py:9:65 not-read: in a comment',
    ]);
    expect(places('go-service', 'dark-mode')).toContain('internal/flags/flags.go:8:18 not-read: the value of DarkMode: a read through Da');
  });
});

describe('a repository with TypeScript, Python and Go services', () => {
  function polyglot(): string {
    return tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  presets: [flagops, openfeature, launchdarkly]\n',
      'flags/new-checkout.yaml': flag(),
      'flags/search-v2.yaml': flag('2027-01-01'),
      'flags/dark-mode.yaml': flag('2027-01-01'),
      'web/app.ts': 'declare const flags: { isEnabled(k: string): boolean };\nexport const on = flags.isEnabled(\'dark-mode\');\n',
      'api/search.py': 'from .keys import SEARCH_V2\n\ndef search(client):\n    return client.get_boolean_value(SEARCH_V2, False)\n',
      'api/keys.py': 'SEARCH_V2 = "search-v2"\n',
      'api/__init__.py': '',
      'billing/go.mod': 'module example.com/billing\n\ngo 1.22\n',
      'billing/pay.go': 'package billing\n\nfunc Pay(ld *LDClient) bool {\n\ton, _ := ld.BoolVariation("new-checkout", nil, false)\n\treturn on\n}\n',
    });
  }

  it('reports every read at its line, calls none of them unused, and fails check on the flag expired in Go', () => {
    const dir = polyglot();
    const { json } = flagopsJson(['scan', '--now', '2026-11-10'], dir);
    const references = (json as unknown as { references: { flag: string; file: string; line: number; column: number }[] }).references;
    expect(references.map((r) => `${r.file}:${r.line}:${r.column} ${r.flag}`).sort()).toEqual([
      'api/search.py:4:37 search-v2',
      'billing/pay.go:4:28 new-checkout',
      'web/app.ts:2:35 dark-mode',
    ]);
    expect(json.diagnostics.filter((d) => d.code === 'unused-flag')).toEqual([]);
    const check = flagopsJson(['check', ...AFTER_EXPIRY], dir);
    expect(check.code).toBe(1);
    expect(check.json.diagnostics.filter((d) => d.code === 'expired-flag-referenced').map(where)).toEqual(['billing/pay.go:4:28 error expired-flag-referenced']);
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

describe('the Python and Go analysers on arbitrary text', () => {
  beforeAll(async () => {
    await Promise.all([preparePython(), prepareGo()]);
  });
  const patterns = referencePatterns({ defaults: false, presets: [...PRESET_NAMES], calls: [], hooks: [], maps: [], jsx: [] });
  const holds = (analyse: (text: string) => ModuleFacts, fragments: string[]) => candidatesStayInside(analyse, fragments, 1000);

  it('never throws, and every candidate lies inside the text', () => {
    holds((text) => analysePython('f.py', text, patterns), ['is_enabled(', ')', '"a"', 'f"{x}"', 'import a.b as c', 'from .x import Y', 'class E(Enum):',
      '    A = "a"', 'def f(k):', '    return get_variant(k)', 'self.', 'E.A.value', '\n', '#', '"""', '(', ',', 'flag_key=', '*args', '@staticmethod', 'x = ', '+', '\\']);
  });

  it('never throws on Go either, and every candidate lies inside the text', () => {
    holds((text) => analyseGo('f.go', text, patterns), ['package p', 'import (', '"x/y"', ')', 'const (', 'A Key = "a"', 'func F(k string) bool {',
      'return c.BoolVariation(k, nil, false)', '}', 'c.BooleanValue(ctx, "k", false, ec)', 'string(', 'flags.A', '`raw`', '"\\x41"', '\n', '//', '/*', '*/', ':=', 'var x = ']);
  });
});
