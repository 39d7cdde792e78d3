import { describe, expect, it } from 'vitest';
import { fixture, flagops, flagopsJson } from '../helpers/cli.js';

interface Place {
  file: string;
  line: number;
  column: number;
  status: string;
  flag: string | null;
  rule?: string;
  why: string;
  cleanup?: string;
}

const explainJson = (dir: string, target: string) => {
  const { code, stdout } = flagops(['scan', '--now', '2026-11-10', '--explain', target, '--format', 'json'], fixture('scan', dir));
  expect(code).toBe(0);
  return (JSON.parse(stdout) as { explain: { places: Place[] } }).explain.places;
};
const brief = (p: Place) => `${p.file}:${p.line}:${p.column} ${p.status}${p.rule ? ` ${p.rule}` : ''}`;

describe('what the configuration names is always a flag read', () => {
  it('counts calls of configured hooks the code base defines, and fails the build when their flag expires', () => {
    const dir = fixture('scan', 'configured-own');
    const after = flagopsJson(['scan', '--now', '2026-12-05'], dir);
    expect(after.json.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`).sort()).toEqual([
      'expired-flag-referenced src/app.ts:10:43',
      'expired-flag-referenced src/app.ts:3:51',
      'expired-flag-referenced src/flags.ts:14:46',
    ]);
    expect(after.code).toBe(1);
    const text = flagops(['scan', '--now', '2026-11-10'], dir).stdout;
    expect(text).not.toContain('is defined in this code base');
  });

  it('still drops a preset name the code base defines without reading a flag, and counts the calls it dropped', () => {
    const { stdout } = flagops(['scan', '--now', '2026-11-10'], fixture('scan', 'lookalikes'));
    expect(stdout).toContain(
      'useVariant() is defined in this code base (src/hooks.ts:3) and reads no flag flagops can see: 2 calls of it are not read as the preset\'s useVariant()',
    );
    const { json } = flagopsJson(['scan', '--now', '2026-11-10'], fixture('scan', 'lookalikes'));
    const scan = json as unknown as { scan: { dropped: Record<string, number> }; shadowed: unknown[] };
    expect(scan.scan.dropped).toEqual({ shadowed: 2, 'untied-wrapper': 1, 'builtin-member': 1 });
    expect(scan.shadowed).toEqual([{ name: 'useVariant', at: 'src/hooks.ts:3', calls: 2 }]);
  });

  it('follows a hook that reads flags through the closure another hook returns', () => {
    const { stdout } = flagops(['scan', '--now', '2026-11-10'], fixture('scan', 'hook-factory'));
    expect(stdout).toContain('Followed the function useEvaluator() returns as a flag call: it passes argument 0 to getBooleanValue() (src/flags/evaluator.ts:8).');
    expect(stdout).toContain('Followed useFlag() as a flag call: it passes argument 0 to the function useEvaluator() returns (src/flags/use-flag.ts:6).');
    expect(stdout).not.toContain('is defined in this code base');
  });
});

describe('flagops scan --explain', () => {
  it('lists every place considered for a flag: counted, dropped by a rule, and written where nothing reads it', () => {
    expect(explainJson('lookalikes', 'new-ui').map(brief)).toEqual([
      'src/component.ts:7:39 dropped shadowed',
      'src/strategy.ts:26:37 not-read',
      'src/strategy.ts:28:52 counted',
    ]);
    const places = explainJson('lookalikes', 'search-v2');
    expect(places.map(brief)).toEqual(['src/component.ts:6:48 counted', 'src/strategy.ts:27:23 dropped untied-wrapper']);
    expect(places[1]!.why).toMatch(/2 functions in the code base are named enabled\(\) \(the wrapper is in src\/strategy.ts\)/);
  });

  it('explains one source line: every candidate on it, counted or dropped, with the rule', () => {
    const places = explainJson('lookalikes', 'src/lists.ts:22');
    expect(places.map(brief)).toEqual(['src/lists.ts:22:43 counted', 'src/lists.ts:22:86 dropped builtin-member']);
    expect(places[1]!.why).toBe('constructor is a member every object or array has, and no flag is named so');
  });

  it('says why a key in a call flagops does not know is not read, and how to make it one', () => {
    const { stdout, code } = flagops(['scan', '--now', '2026-11-10', '--explain', 'new-ui'], fixture('scan', 'lookalikes'));
    expect(code).toBe(0);
    expect(stdout).toContain(`src/strategy.ts:26:37  not read  'new-ui'
  argument 0 of isEnabledWithConstraints(), which is not a flag call flagops knows (add { name: isEnabledWithConstraints, argument: 0 } to scan.calls if it reads flags)`);
    expect(stdout.split('\n')[0]).toBe('"new-ui": 3 places considered in 4 source files, 1 counted as a reference.');
  });

  it('refuses a file:line whose file does not exist, and formats it cannot print', () => {
    const missing = flagops(['scan', '--explain', 'src/nope.ts:3'], fixture('scan', 'lookalikes'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('there is no file src/nope.ts');
    const sarif = flagops(['scan', '--explain', 'new-ui', '--format', 'sarif'], fixture('scan', 'lookalikes'));
    expect(sarif.code).toBe(2);
    expect(sarif.stderr).toContain('--explain prints text or json');
  });
});
