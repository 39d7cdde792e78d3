import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import type { ModuleFacts } from '../core/scan/facts.js';
import { AliasIndex } from '../core/scan/key-aliases.js';
import type { CallPattern, ReferencePatterns } from '../core/scan/patterns.js';
import { KeyResolver, type ModuleGraph, type Reference, resolveCandidates } from '../core/scan/resolve.js';
import { displayPath } from '../files/read-flag-files.js';
import { analyseFile } from './analyse-file.js';
import { ModuleResolver } from './module-resolver.js';

export interface ScanInput {
  /** The project root (tsconfig.json paths are read from it). */
  root: string;
  /** Paths in output are relative to it. */
  cwd: string;
  /** Absolute paths of the files to scan. */
  files: readonly string[];
  patterns: ReferencePatterns;
  /** Every key a flag file defines. */
  definedKeys: ReadonlySet<string>;
  maxFileBytes: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ScanOutput {
  references: Reference[];
  /** Call patterns inferred from wrapper functions. */
  wrappers: CallPattern[];
  files: number;
  lines: number;
  /** Files that could not be scanned. */
  diagnostics: Diagnostic[];
}

/** Wrappers of wrappers are followed this many levels deep. */
const MAX_WRAPPER_ROUNDS = 4;

/** Scans source files for flag references: parse each once, then resolve keys across modules. */
export function scanSources(input: ScanInput): ScanOutput {
  const diagnostics: Diagnostic[] = [];
  const absolute = new Map<string, string>();
  const show = (path: string) => {
    const shown = displayPath(input.cwd, path);
    absolute.set(shown, path);
    return shown;
  };
  const facts = new Map<string, ModuleFacts | null>();
  const scanned: string[] = [];
  let lines = 0;
  let patterns = input.patterns;

  const read = (path: string, reportProblems: boolean): string | undefined => {
    const shown = show(path);
    try {
      const size = statSync(path).size;
      if (size > input.maxFileBytes) {
        if (reportProblems) diagnostics.push(skippedLarge(shown, size, input.maxFileBytes));
        return undefined;
      }
      return readFileSync(path, 'utf8');
    } catch (error) {
      if (reportProblems) diagnostics.push(unreadable(shown, error as NodeJS.ErrnoException));
      return undefined;
    }
  };

  input.files.forEach((path, i) => {
    const shown = show(path);
    const text = read(path, true);
    if (text !== undefined) {
      const f = analyseFile(shown, text, patterns);
      facts.set(shown, f);
      scanned.push(shown);
      lines += f.lines;
    } else facts.set(shown, null);
    input.onProgress?.(i + 1, input.files.length);
  });

  // A function passing its parameter on as a flag key is a pattern too: find who calls it.
  const inferred = new Map<string, CallPattern>();
  for (let round = 0; round < MAX_WRAPPER_ROUNDS; round++) {
    const known = new Set(patterns.calls.map((c) => c.name));
    const fresh: CallPattern[] = [];
    for (const shown of scanned) {
      for (const w of facts.get(shown)?.wrappers ?? []) {
        if (known.has(w.name) || inferred.has(w.name)) continue;
        const pattern: CallPattern = {
          name: w.name,
          argument: w.argument,
          strict: w.strict,
          wrapper: { file: shown, line: w.line, column: w.column, calls: w.calls },
        };
        inferred.set(w.name, pattern);
        fresh.push(pattern);
      }
    }
    if (fresh.length === 0) break;
    patterns = { ...patterns, calls: [...patterns.calls, ...fresh] };
    const names = fresh.map((p) => p.name);
    for (const shown of scanned) {
      const text = read(absolute.get(shown)!, false);
      if (text === undefined || !names.some((n) => text.includes(n))) continue;
      facts.set(shown, analyseFile(shown, text, patterns));
    }
  }

  const resolver = new ModuleResolver(input.root);
  const graph: ModuleGraph = {
    facts(shown) {
      const known = facts.get(shown);
      if (known !== undefined) return known ?? undefined;
      // A module imported from outside the scanned set (excluded, or outside the globs).
      const path = absolute.get(shown);
      const text = path === undefined ? undefined : read(path, false);
      const f = text === undefined ? null : analyseFile(shown, text, patterns);
      facts.set(shown, f);
      return f ?? undefined;
    },
    resolveImport(specifier, fromFile) {
      const from = absolute.get(fromFile) ?? resolve(input.cwd, fromFile);
      const target = resolver.resolve(specifier, from);
      return target === undefined ? undefined : show(target);
    },
  };
  const keyResolver = new KeyResolver(graph);
  const aliases = new AliasIndex(input.definedKeys);
  const wrapperNames = new Set(inferred.keys());
  const references: Reference[] = [];
  for (const shown of scanned) {
    for (const ref of resolveCandidates(facts.get(shown)!, keyResolver, aliases, input.definedKeys, wrapperNames)) {
      references.push(ref);
    }
  }
  return { references, wrappers: [...inferred.values()], files: scanned.length, lines, diagnostics };
}

function skippedLarge(file: string, size: number, max: number): Diagnostic {
  return {
    severity: 'info',
    code: 'source-too-large',
    file,
    line: 1,
    column: 1,
    message: `Skipped: ${(size / 1048576).toFixed(1)} MiB is more than scan.maxFileBytes (${(max / 1048576).toFixed(1)} MiB); large files are usually bundles or generated code.`,
    hint: 'Exclude it in scan.exclude, or raise scan.maxFileBytes if it is source that reads flags.',
  };
}

function unreadable(file: string, error: NodeJS.ErrnoException): Diagnostic {
  return {
    severity: 'warning',
    code: 'source-unreadable',
    file,
    line: 1,
    column: 1,
    message: `This source file could not be read (${error.code ?? 'error'}), so its flag references are unknown.`,
    hint: 'Check its permissions, or exclude it in scan.exclude.',
  };
}
