import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, flagopsJson } from '../helpers/cli.js';

/**
 * Each folder under test/fixtures/scan is a project. Its sources mark every expected reference
 * with a comment right before the key: `/*> new-checkout call *\/ 'new-checkout'` (flag `-` for a
 * dynamic key); in the other languages, at the end of the line, naming where the key starts:
 * `#> new-checkout call @"new-checkout"` (`//>` where comments start so: Go, Java, Kotlin, C#, PHP).
 * Code without a marker must yield no reference: the
 * look-alikes live next to them.
 */
const root = fixture('scan');
const scenarios = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory());

interface Scenario {
  now: string;
  exit: number;
  diagnostics?: string[];
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (/\.(?:[cm]?[jt]sx?|py|go|java|kts?|cs|rb|php)$/.test(entry.name)) out.push(path);
  }
  return out;
}

function markers(dir: string): string[] {
  const out: string[] = [];
  for (const path of sources(dir)) {
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const m of text.matchAll(/\/\*> (\S+) (\S+) \*\/\s*/g)) {
        const column = m.index + m[0].length + 1;
        out.push(`${relative(dir, path)}:${i + 1}:${column} ${m[1] === '-' ? 'null' : m[1]} ${m[2]}`);
      }
      // Where a comment cannot stand inside a line (Python's #, Go's gofmt), it ends the line and names the key's text: #> flag kind @text.
      const trailing = /(?:#|\/\/)> (\S+) (\S+) @(.+)$/.exec(text);
      if (trailing) out.push(`${relative(dir, path)}:${i + 1}:${text.indexOf(trailing[3]!) + 1} ${trailing[1] === '-' ? 'null' : trailing[1]} ${trailing[2]}`);
    });
  }
  return out.sort();
}

describe('flagops scan finds exactly the marked references', () => {
  it.each(scenarios)('%s', (name) => {
    const dir = join(root, name);
    const scenario = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as Scenario;
    const { code, json, stderr } = flagopsJson(['scan', '--now', scenario.now], dir);
    expect(stderr).toBe('');
    const output = json as unknown as { references: { flag: string | null; file: string; line: number; column: number; kind: string }[] };
    const found = output.references.map((r) => `${r.file}:${r.line}:${r.column} ${r.flag} ${r.kind}`).sort();
    expect(found).toEqual(markers(dir));
    const diagnostics = json.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`).sort();
    expect(diagnostics).toEqual([...(scenario.diagnostics ?? [])].sort());
    expect(code).toBe(scenario.exit);
  });
});
