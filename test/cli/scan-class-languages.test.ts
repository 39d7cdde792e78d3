import { cpSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESET_NAMES } from '../../src/core/definition/config-choices.js';
import { referencePatterns } from '../../src/core/lifecycle/scan/patterns/configured-patterns.js';
import { CSHARP } from '../../src/scan/facts/csharp/csharp-syntax.js';
import { JAVA } from '../../src/scan/facts/java/java-syntax.js';
import { KOTLIN } from '../../src/scan/facts/kotlin/kotlin-syntax.js';
import { PHP } from '../../src/scan/facts/php/php-syntax.js';
import { RUBY } from '../../src/scan/facts/ruby/ruby-syntax.js';
import { treeAdapter } from '../../src/scan/facts/tree/tree-adapter.js';
import { candidatesStayInside } from '../helpers/analyser-property.js';
import { fixture, flagops, flagopsJson, where } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { tmpProject } from '../helpers/tmp.js';

/** Java, Kotlin, C#, Ruby and PHP: each told to the shared tree walk by one syntax description. */
const AFTER_EXPIRY = ['--now', '2026-12-10'];
const SERVICES = { java: 'src/main/java/com/acme/shop/Checkout.java', kotlin: 'src/main/kotlin/com/acme/shop/Checkout.kt', csharp: 'src/Shop/Checkout.cs', ruby: 'app/services/checkout.rb', php: 'src/Http/Checkout.php' };

const flag = (expires = '2026-12-01') => `description: A flag for a test.
owner: "@acme/web"
type: release
created: 2026-11-01
expires: ${expires}
environments:
  production: { enabled: true, serve: on }
`;

type Reference = { flag: string | null; file: string; line: number; column: number; kind: string };
const referencesOf = (json: unknown) => (json as { references: Reference[] }).references;

describe.each(Object.entries(SERVICES))('a %s service in the repository', (language, checkout) => {
  const project = () => {
    const dir = tmpProject();
    cpSync(fixture('scan', `${language}-service`), dir, { recursive: true });
    return dir;
  };

  it('fails flagops check on every expired flag it reads, at the line, in text, JSON, GitHub and SARIF', () => {
    const dir = project();
    const read = referencesOf(flagopsJson(['scan', '--now', '2026-11-10'], dir).json).filter((r) => r.flag !== null);
    expect(read.length).toBeGreaterThanOrEqual(6);
    const { code, json } = flagopsJson(['check', ...AFTER_EXPIRY], dir);
    expect(code).toBe(1);
    const expired = json.diagnostics.filter((d) => d.code === 'expired-flag-referenced').map(where).sort();
    expect(expired).toEqual(read.map((r) => `${r.file}:${r.line}:${r.column} error expired-flag-referenced`).sort());
    const first = read.find((r) => r.file === checkout)!;
    expect(flagops(['check', ...AFTER_EXPIRY], dir).stdout).toContain(`${checkout}:${first.line}:${first.column} error expired-flag-referenced`);
    expect(flagops(['check', ...AFTER_EXPIRY, '--format', 'github'], dir).stdout).toContain(`::error file=${checkout},line=${first.line},col=${first.column}`);
    type Location = { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } };
    const sarif = JSON.parse(flagops(['check', ...AFTER_EXPIRY, '--format', 'sarif'], dir).stdout) as { runs: { results: { ruleId: string; locations: Location[] }[] }[] };
    const lines = sarif.runs[0]!.results.filter((r) => r.ruleId === 'expired-flag-referenced').map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`);
    expect(lines).toContain(`${checkout}:${first.line}`);
  });

  it('calls no flag unused that only this language reads', () => {
    const { json } = flagopsJson(['scan', '--now', '2026-11-30'], project());
    expect(json.diagnostics.filter((d) => d.code === 'unused-flag')).toEqual([]);
  });
});

describe('flagops scan --explain in Java and Ruby', () => {
  const places = (name: string, target: string) => {
    const { json } = flagopsJson(['scan', '--now', '2026-11-10', '--explain', target], fixture('scan', name));
    type Place = { file: string; line: number; column: number; status: string; rule?: string; why: string };
    return (json as unknown as { explain: { places: Place[] } }).explain.places.map((p) => `${p.file}:${p.line}:${p.column} ${p.status}${p.rule ? ` ${p.rule}` : ''}: ${p.why.slice(0, 36)}`);
  };

  it('lists what was counted, what a rule dropped and why, and where the key is only written', () => {
    const java = places('java-service', 'dark-mode');
    expect(java).toEqual([
      'src/main/java/com/acme/flags/Flag.java:4:15 not-read: the value of DARK_MODE: a read throu',
      'src/main/java/com/acme/flags/Flags.java:7:36 not-read: the value of mutable: a read through',
      'src/main/java/com/acme/shop/Cart.java:10:26 dropped shadowed: isEnabled() here is the function def',
      'src/main/java/com/acme/shop/Checkout.java:18:58 not-read: argument 0 of of(), which is not a f',
      'src/main/java/com/acme/shop/Checkout.java:31:42 counted: a call of isEnabled() (a preset) wit',
      // The marker comment names the key.
      'src/main/java/com/acme/shop/Checkout.java:31:69 not-read: in a comment',
      'src/main/java/com/acme/shop/Checkout.java:33:50 dynamic: its key cannot be known without runn',
      'src/main/java/com/acme/shop/Checkout.java:34:51 dynamic: its key cannot be known without runn',
      'src/main/java/com/acme/shop/Checkout.java:36:39 not-read: argument 0 of get(), which is not a ',
      'src/main/java/com/acme/shop/Checkout.java:37:54 not-read: argument 1 of of(), which is not a f',
    ]);
    const ruby = places('ruby-service', 'new-search');
    expect(ruby).toContain('app/services/checkout.rb:43:44 dropped own-method: self.enabled?() calls the class\'s ow');
    expect(ruby).toContain('lib/flags.rb:4:16 not-read: the value of NEW_SEARCH: a read thro');
  });
});

describe('a repository with services in every language', () => {
  const files = {
    'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  presets: [flagops, openfeature, launchdarkly, flipper]\n',
    'flags/web-nav.yaml': flag('2026-12-11'),
    'flags/search-v2.yaml': flag('2026-12-11'),
    'flags/new-checkout.yaml': flag(),
    'flags/dark-mode.yaml': flag('2026-12-11'),
    'flags/beta-reports.yaml': flag('2026-12-11'),
    'flags/export-csv.yaml': flag('2026-12-11'),
    'flags/audit-log.yaml': flag('2026-12-11'),
    'flags/fast-pay.yaml': flag('2026-12-11'),
    // The same wrapper name in TypeScript and Java: each language's calls are tied to its own.
    'web/features.ts': 'declare const flags: { isEnabled(k: string): boolean };\nexport function isFeatureOn(key: string) {\n  return flags.isEnabled(key);\n}\n',
    'web/app.ts': 'import { isFeatureOn } from \'./features.js\';\nexport const on = isFeatureOn(\'web-nav\');\n',
    'api/search.py': 'def search(client):\n    return client.get_boolean_value("search-v2", False)\n',
    'billing/go.mod': 'module example.com/billing\n\ngo 1.22\n',
    'billing/pay.go': 'package billing\n\nfunc Pay(ld *LDClient) bool {\n\ton, _ := ld.BoolVariation("fast-pay", nil, false)\n\treturn on\n}\n',
    'jvm/src/Features.java': 'class Features {\n  static boolean isFeatureOn(String key) {\n    return client.getBooleanValue(key, false);\n  }\n}\n',
    'jvm/src/Checkout.java': 'class Checkout {\n  boolean pay() {\n    return Features.isFeatureOn(Keys.NEW_CHECKOUT);\n  }\n}\n',
    'jvm/src/Keys.kt': 'object Keys {\n    const val NEW_CHECKOUT = "new-checkout"\n}\n',
    'dotnet/Reports.cs': 'class Reports {\n  async Task<bool> On() => await client.GetBooleanValueAsync("beta-reports", false);\n}\n',
    'rails/app/export.rb': 'class Export\n  def csv? = Flipper.enabled?(:export_csv)\nend\n',
    'laravel/src/Audit.php': '<?php\nclass Audit { public function on(): bool { return $this->client->getBooleanValue(\'audit-log\', false); } }\n',
    'mobile/Theme.kt': 'class Theme(private val client: Client) {\n    fun dark() = client.getBooleanValue("dark-mode", false)\n}\n',
  };

  it('reports every read at its line, calls none unused, and fails check on the flag expired, read through a Kotlin constant from Java', () => {
    const dir = tmpProject(files);
    const { json } = flagopsJson(['scan', '--now', '2026-11-10'], dir);
    expect(referencesOf(json).map((r) => `${r.file}:${r.line}:${r.column} ${r.flag} ${r.kind}`).sort()).toEqual([
      'api/search.py:2:37 search-v2 call',
      'billing/pay.go:4:28 fast-pay call',
      'dotnet/Reports.cs:2:62 beta-reports call',
      'jvm/src/Checkout.java:3:33 new-checkout wrapper',
      'laravel/src/Audit.php:2:82 audit-log call',
      'mobile/Theme.kt:2:41 dark-mode call',
      'rails/app/export.rb:2:31 export-csv call',
      'web/app.ts:2:31 web-nav wrapper',
    ]);
    expect(json.diagnostics.filter((d) => d.code === 'unused-flag')).toEqual([]);
    const check = flagopsJson(['check', ...AFTER_EXPIRY], dir);
    expect(check.code).toBe(1);
    expect(check.json.diagnostics.filter((d) => d.severity === 'error').map(where)).toEqual(['jvm/src/Checkout.java:3:33 error expired-flag-referenced']);
  });

  it('reads the same on worker threads as on one thread', () => {
    const many: Record<string, string> = { ...files };
    for (let i = 0; i < 120; i++) {
      many[`jvm/src/S${i}.java`] = `class S${i} { boolean on() { return client.getBooleanValue("dark-mode", false) && Features.isFeatureOn(Keys.NEW_CHECKOUT); } }\n`;
      many[`rails/app/s${i}.rb`] = `class S${i}\n  def on? = Flipper.enabled?(:dark_mode)\nend\n`;
    }
    const dir = tmpProject(many);
    const one = flagopsJson(['scan', '--now', '2026-11-10'], dir, { env: { FLAGOPS_SCAN_WORKERS: '0' } });
    const two = flagopsJson(['scan', '--now', '2026-11-10'], dir, { env: { FLAGOPS_SCAN_WORKERS: '2' } });
    expect(referencesOf(one.json).filter((r) => r.flag !== null)).toHaveLength(8 + 120 * 3);
    expect(two.stdout).toBe(one.stdout);
  }, 60_000);

  it('scan.languages narrows what is read; the rest is named as not read', () => {
    const dir = tmpProject({ ...files, 'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  languages: [java, kotlin]\n' });
    const { json } = flagopsJson(['scan', '--now', '2026-11-10'], dir);
    expect(new Set(referencesOf(json).map((r) => r.file))).toEqual(new Set(['jvm/src/Checkout.java', 'mobile/Theme.kt']));
    const unread = (json as unknown as { scan: { unread: { extension: string }[] } }).scan.unread.map((u) => u.extension).sort();
    expect(unread).toEqual(['csharp', 'go', 'php', 'python', 'ruby', 'typescript']);
  });

  it('cleanup refuses a flag Java reads, naming the Java line, and changes nothing', () => {
    const repo = new GitRepo({ ...files, 'flagops.config.yaml': 'environments:\n  production: {}\ncleanup:\n  check: null\n' });
    repo.commit('flags');
    const { code, json } = flagopsJson(['cleanup', 'new-checkout', ...AFTER_EXPIRY], repo.root);
    expect(code).toBe(1);
    expect(json.diagnostics.map(where)).toEqual(['jvm/src/Checkout.java:3:33 error cleanup-refused']);
    expect(json.diagnostics[0]!.message).toContain('Java code reads it here');
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});

describe('source nested tens of thousands of levels deep', () => {
  it('is read where the walk needs no recursion (Java, Ruby), and named unreadable, with how to fix it, where it does', () => {
    const deep = `${'('.repeat(30_000)}1${')'.repeat(30_000)}`;
    const dir = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\n',
      'flags/dark-mode.yaml': flag('2027-01-01'),
      'src/Deep.java': `class Deep { int x = ${deep}; boolean on() { return client.getBooleanValue("dark-mode", false); } }\n`,
      'src/deep.rb': `x = ${deep}\n`,
      'src/deep.py': `x = ${deep}\nclient.get_boolean_value("dark-mode", False)\n`,
      'src/deep.ts': `export const x = ${deep};\n`,
      'src/Theme.java': 'class Theme { boolean dark() { return client.getBooleanValue("dark-mode", false); } }\n',
    });
    const { code, json, stderr } = flagopsJson(['scan', '--now', '2026-11-10'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(json.diagnostics.filter((d) => d.code === 'source-unreadable').map(where).sort()).toEqual(['src/deep.py:1:1 warning source-unreadable', 'src/deep.ts:1:1 warning source-unreadable']);
    expect(json.diagnostics.find((d) => d.code === 'source-unreadable')!.hint).toContain('scan.exclude');
    expect(referencesOf(json).map((r) => r.file).sort()).toEqual(['src/Deep.java', 'src/Theme.java']);
  });
});

describe('the Java, Kotlin, C#, Ruby and PHP analysers on arbitrary text', () => {
  const patterns = referencePatterns({ defaults: false, presets: [...PRESET_NAMES], calls: [], hooks: [], maps: [], jsx: [] });
  const adapters = { JAVA, KOTLIN, CSHARP, RUBY, PHP };
  const analysers = Object.fromEntries(Object.entries(adapters).map(([name, syntax]) => [name, treeAdapter(syntax)]));
  beforeAll(async () => {
    for (const adapter of Object.values(analysers)) await adapter.prepare();
  });
  const fragments: Record<keyof typeof adapters, string[]> = {
    JAVA: ['class A {', '}', 'static final String X = "x";', 'enum F { A("a"); }', 'void m(String k) {', 'client.getBooleanValue(k, false);', 'import static a.B.C;', 'F.A.key()', '"\\u0041"', '//', '/*', '(', ')', ';', '+'],
    KOTLIN: ['object K {', '}', 'const val X = "x"', 'enum class F(val key: String) { A("a") }', 'fun f(k: String) =', 'client.getBooleanValue(key = k, defaultValue = false)', '"$x"', 'import a.B.C as D', 'companion object {', '(', ')', '\n'],
    CSHARP: ['namespace N;', 'class A {', '}', 'const string X = "x";', 'nameof(A.X)', '@"v"', '$"i{x}"', 'async Task<bool> M(string k) =>', 'await c.GetBooleanValueAsync(flagKey: k, defaultValue: false);', 'using F = A.B;', '(', ')', ';'],
    RUBY: ['module M', 'end', 'X = "x".freeze', 'def f(k) = Flipper.enabled?(k)', ':sym', ':"q"', 'A::B', 'client.fetch_boolean_value(flag_key: k)', '"#{x}"', 'flag_key:', '\n', '#', 'class C', 'self.'],
    PHP: ['<?php', 'class A {', '}', 'const X = \'x\';', 'enum F: string { case A = \'a\'; }', 'function f($k) { return isEnabled($k); }', 'self::X', 'F::A->value', '$c->getBooleanValue(flagKey: \'k\')', '"$x"', 'use A\\B as C;', '(', ')', ';'],
  };

  it.each(Object.keys(adapters) as (keyof typeof adapters)[])('%s never throws, and every candidate lies inside the text', (name) => {
    candidatesStayInside((text) => analysers[name]!.analyse('f', text, patterns), fragments[name], 400);
  });
});
