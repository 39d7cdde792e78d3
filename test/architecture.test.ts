import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layout docs/architecture.md describes, held: the core is pure (no file system, network or
 * process), every import points down (a later layer may use an earlier one, never the reverse),
 * and no modules import each other in a circle.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

interface Import {
  from: string;
  to: string;
  /** Only types: erased by the compiler, so it neither runs code nor makes a circle at run time. */
  typeOnly: boolean;
  dynamic: boolean;
}

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const FILES = sources(src).map((path) => relative(src, path));

const STATIC = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/gm;
const DYNAMIC = /\bimport\(\s*'([^']+)'\s*\)/g;

function importsOf(file: string): { specifier: string; typeOnly: boolean; dynamic: boolean }[] {
  const text = readFileSync(join(src, file), 'utf8');
  const found = [];
  for (const m of text.matchAll(STATIC)) {
    const names = m[3] ?? '';
    // import { type A, type B } from '…' is as erased as import type { A, B } from '…'.
    const allTypes = /^\{[^}]*\}$/.test(names.trim()) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type'));
    found.push({ specifier: m[4]!, typeOnly: Boolean(m[2]) || allTypes, dynamic: false });
  }
  for (const m of text.matchAll(DYNAMIC)) found.push({ specifier: m[1]!, typeOnly: false, dynamic: true });
  return found;
}

const IMPORTS: Import[] = FILES.flatMap((file) =>
  importsOf(file)
    .filter((i) => i.specifier.startsWith('.'))
    .map((i) => ({ from: file, to: normalize(join(dirname(file), i.specifier)).replace(/\.js$/, '.ts'), typeOnly: i.typeOnly, dynamic: i.dynamic })),
);

/** The core's layers, by the flag's life: each may import the ones before it. */
const CORE_LAYERS = ['shared', 'definition', 'serving', 'change', 'guard', 'lifecycle'];

/** src's folders, each above what it imports: the core, then adapters, then what runs them. */
const SRC_LAYERS: Record<string, number> = {
  'errors.ts': 0,
  core: 0,
  files: 1,
  store: 2,
  metrics: 2,
  scan: 2,
  cleanup: 2,
  site: 2,
  report: 3,
  sdk: 3,
  openfeature: 4,
  serve: 4,
  cli: 5,
  'index.ts': 5,
  action: 6,
  scripts: 7,
};

/** What a core module may import from outside src: computation only (hashes, parsers, schema checks). */
const CORE_MAY_IMPORT = new Set(['node:crypto', 'node:module', 'yaml', 'ajv', 'ajv/dist/2020.js', 'ajv-formats', 'picomatch']);

const top = (file: string) => file.split('/')[0]!;

describe('the source layout', () => {
  it('has no loose module at the root of the core: each belongs to a layer', () => {
    expect(FILES.filter((f) => f.startsWith('core/') && f.split('/').length === 2)).toEqual([]);
    expect([...new Set(FILES.filter((f) => f.startsWith('core/')).map((f) => f.split('/')[1]))].sort()).toEqual([...CORE_LAYERS].sort());
  });

  it('keeps the core pure: no file system, network, process or clock of its own', () => {
    const impure: string[] = [];
    for (const file of FILES.filter((f) => f.startsWith('core/'))) {
      for (const i of importsOf(file)) {
        if (!i.specifier.startsWith('.') && !CORE_MAY_IMPORT.has(i.specifier)) impure.push(`${file} imports ${i.specifier}`);
      }
      const text = readFileSync(join(src, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      const uses = { process: /(^|[^.\w'"`])process\./, fetch: /(^|[^.\w'"`])fetch\s*\(/, timers: /(^|[^.\w'"`])set(Timeout|Interval)\s*\(/, clock: /\bDate\.now\s*\(/ };
      for (const [what, pattern] of Object.entries(uses)) if (pattern.test(text)) impure.push(`${file} uses ${what}`);
    }
    // An adapter (src/files, src/store, src/cli/flows) does the I/O and hands the core its data.
    expect(impure).toEqual([]);
  });

  it('points every import of the core down its layers', () => {
    const up = IMPORTS.filter((i) => i.from.startsWith('core/') && i.to.startsWith('core/'))
      .filter((i) => CORE_LAYERS.indexOf(i.to.split('/')[1]!) > CORE_LAYERS.indexOf(i.from.split('/')[1]!))
      .map((i) => `${i.from} -> ${i.to}`);
    expect(up).toEqual([]);
  });

  it('points every import between src folders down: core, adapters, then the CLI, the Action and scripts', () => {
    for (const file of FILES) expect(SRC_LAYERS[top(file)], `src/${file} is in no layer of this test: add its folder`).toBeDefined();
    const up = IMPORTS.filter((i) => top(i.from) !== top(i.to) && SRC_LAYERS[top(i.to)]! >= SRC_LAYERS[top(i.from)]!).map((i) => `${i.from} -> ${i.to}`);
    expect(up).toEqual([]);
  });

  it('keeps the CLI\'s commands declarations: what a command does is a flow, and no flow imports a command', () => {
    const logic = FILES.filter((f) => f.startsWith('cli/commands/'))
      .filter((f) => /^(export )?(async )?function |^\s+(async )?run\(/m.test(readFileSync(join(src, f), 'utf8')));
    expect(logic).toEqual([]);
    const back = IMPORTS.filter((i) => !i.from.startsWith('cli/commands/') && i.to.startsWith('cli/commands/') && i.from !== 'cli/run.ts');
    expect(back.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('has no circle of modules importing each other', () => {
    const graph = new Map<string, string[]>();
    for (const i of IMPORTS.filter((i) => !i.typeOnly && !i.dynamic)) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') circles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of FILES) if (!state.has(file)) visit(file);
    expect(circles).toEqual([]);
  });

  it('finds what it checks: every relative import names a module that exists', () => {
    const known = new Set(FILES);
    expect(IMPORTS.length).toBeGreaterThan(500);
    expect(IMPORTS.filter((i) => !known.has(i.to) && !i.to.endsWith('.cjs') && !i.to.endsWith('.json')).map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });
});
