import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/cli/commands/index.js';
import { codeCatalog } from '../src/core/lifecycle/catalog.js';
import { repoRoot } from './helpers/cli.js';

const doc = (name: string) => readFileSync(`${repoRoot}docs/${name}`, 'utf8');

describe('docs', () => {
  it('document every diagnostic code with its severity', () => {
    const page = doc('diagnostics.md');
    const missing = codeCatalog.filter((c) => !page.includes(`| \`${c.code}\` | ${c.severity} |`)).map((c) => c.code);
    expect(missing).toEqual([]);
  });

  it('have one page per command, linked from the README', () => {
    const readme = readFileSync(`${repoRoot}README.md`, 'utf8');
    const pages = readdirSync(`${repoRoot}docs`);
    for (const command of commands) {
      expect(pages).toContain(`${command.name}.md`);
      expect(readme).toContain(`(docs/${command.name}.md)`);
    }
  });

  it('say one thing of expires: the last day of use, expired from the next day', () => {
    const pages = ['README.md', ...readdirSync(`${repoRoot}docs`).filter((p) => p.endsWith('.md')).map((p) => `docs/${p}`)];
    for (const page of pages) {
      const text = readFileSync(`${repoRoot}${page}`, 'utf8').replace(/\s+/g, ' ');
      // The expiry day is never the first day a flag counts as expired.
      expect(text, page).not.toMatch(/expir\w* day is the first day/i);
      expect(text, page).not.toMatch(/expires[^.]{0,40}first day/i);
    }
    expect(doc('scan.md').replace(/\s+/g, ' ')).toContain('`expires` day is its last day of use (UTC): it counts as expired from the next day on');
    expect(doc('flag-format.md')).toContain('The last day code may use the flag');
  });

  it('keep relative links pointing at files that exist', () => {
    for (const page of ['README.md', ...readdirSync(`${repoRoot}docs`).filter((p) => p.endsWith('.md')).map((p) => `docs/${p}`)]) {
      const text = readFileSync(`${repoRoot}${page}`, 'utf8');
      const base = page.includes('/') ? `${repoRoot}docs/` : repoRoot;
      for (const [, target] of text.matchAll(/\]\(((?!https?:|#)[^)#]+)(#[^)]*)?\)/g)) {
        expect(existsSync(`${base}${target}`), `${page} → ${target}`).toBe(true);
      }
    }
  });
});
