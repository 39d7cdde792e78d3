import { resolve } from 'node:path';
import type { Diagnostic } from '../core/shared/diagnostic.js';
import type { ModuleFacts } from '../core/lifecycle/scan/facts.js';
import { AliasIndex } from '../core/definition/key-aliases.js';
import type { CallPattern, ReferencePatterns } from '../core/lifecycle/scan/patterns/patterns.js';
import { inferWrappers, wrapperCandidates } from '../core/lifecycle/scan/resolve/wrappers.js';
import { type Dropped, KeyResolver, type ModuleGraph, type Reference, resolveCandidates } from '../core/lifecycle/scan/resolve/resolve.js';
import { SdkTies } from '../core/lifecycle/scan/resolve/sdk-ties.js';
import { displayPath } from '../files/read-flag-files.js';
import { analyseAll } from './analyse-all.js';
import { TOO_DEEP } from './facts/analyse-source.js';
import { Definitions } from '../core/lifecycle/scan/resolve/definitions.js';
import { ModuleResolver } from './resolve/module-resolver.js';
import { GoPackages } from './resolve/go-packages.js';
import { PythonModules } from './resolve/python-modules.js';
import { DeclaredTypes } from './resolve/declared-types.js';
import { languageOfFile } from './discover/language-files.js';

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
  /** Parse workers; undefined picks by the size of the code base. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ScanOutput {
  references: Reference[];
  /** Call patterns inferred from wrapper functions. */
  wrappers: CallPattern[];
  /** Built-in call names this code base defines itself (`at`: file:line): so many of its calls are not read as flag reads. */
  shadowed: { name: string; at: string; calls: number }[];
  /** Every candidate a precision rule dropped, with why: what `--explain` shows. */
  dropped: Dropped[];
  files: number;
  lines: number;
  /** Files that could not be scanned. */
  diagnostics: Diagnostic[];
}

/** Scans source files for flag references: parse each once, then resolve keys across modules. */
export async function scanSources(input: ScanInput): Promise<ScanOutput> {
  const diagnostics: Diagnostic[] = [];
  const absolute = new Map<string, string>();
  const show = (path: string) => {
    const shown = displayPath(input.cwd, path);
    absolute.set(shown, path);
    return shown;
  };
  const facts = new Map<string, ModuleFacts | null>();
  const analyse = async (paths: readonly string[], scanned: boolean, workers?: number) => {
    const outcomes = await analyseAll(
      paths.map((p) => [p, show(p)] as [string, string]),
      {
        patterns: input.patterns,
        maxFileBytes: input.maxFileBytes,
        ...(workers !== undefined ? { workers } : {}),
        ...(scanned && input.onProgress ? { onProgress: input.onProgress } : {}),
      },
    );
    const out: ModuleFacts[] = [];
    for (const outcome of outcomes) {
      if ('facts' in outcome) {
        facts.set(outcome.shown, outcome.facts);
        out.push(outcome.facts);
        continue;
      }
      facts.set(outcome.shown, null);
      if (!scanned) continue;
      if ('tooLarge' in outcome) diagnostics.push(skippedLarge(outcome.shown, outcome.tooLarge, input.maxFileBytes));
      else diagnostics.push(unreadable(outcome.shown, outcome.unreadable));
    }
    return out;
  };
  const modules = await analyse(input.files, true, input.workers);
  const lines = modules.reduce((sum, m) => sum + m.lines, 0);

  const resolver = new ModuleResolver(input.root);
  const python = new PythonModules(input.root);
  const go = new GoPackages(input.root);
  const types = new DeclaredTypes(modules);
  const missing = new Set<string>();
  const resolved = new Map<string, string | undefined>();
  const graph: ModuleGraph = {
    facts(shown) {
      const known = facts.get(shown);
      if (known === undefined) missing.add(shown);
      return known ?? undefined;
    },
    resolveImport(specifier, fromFile) {
      // Asked again for every key read through the import: answered once per file and specifier.
      const key = `${fromFile}\0${specifier}`;
      if (resolved.has(key)) return resolved.get(key);
      let found: string | undefined;
      if (DeclaredTypes.reads(fromFile)) found = types.resolve(specifier, fromFile);
      else {
        const from = absolute.get(fromFile) ?? resolve(input.cwd, fromFile);
        const target = from.endsWith('.py') ? python.resolve(specifier, from) : from.endsWith('.go') ? go.resolve(specifier, from) : resolver.resolve(specifier, from);
        found = target === undefined ? undefined : show(target);
      }
      resolved.set(key, found);
      return found;
    },
  };
  const definitions = new Definitions(modules, graph);

  // A function passing its parameter on as a flag key is a pattern too: find who calls it.
  const inferred = inferWrappers(modules, new Set(input.patterns.calls.map((c) => c.name)), definitions.ties, definitions.exportedFrom);
  const shadowed = new Map<string, { at: string; calls: number }>();
  const candidates = new Map(
    modules.map((m) => [
      m.file,
      [...definitions.markShadowed(m, inferred.definedIn, shadowed), ...wrapperCandidates(m, inferred, definitions)],
    ]),
  );
  const aliases = new AliasIndex(input.definedKeys);
  const wrapperNames = new Set(inferred.patterns.keys());
  // Modules imported from outside the scanned files (excluded, or outside the globs) are read
  // when a key leads there; each round follows the imports one file further.
  for (let round = 0; ; round++) {
    missing.clear();
    const keyResolver = new KeyResolver(graph);
    const ties = new SdkTies(graph);
    const references: Reference[] = [];
    const dropped: Dropped[] = [];
    for (const module of modules) {
      const resolved = resolveCandidates(module, candidates.get(module.file)!, keyResolver, aliases, input.definedKeys, wrapperNames, dropped);
      for (const { reference, candidate } of resolved) {
        // Ties decide what cleanup may rewrite, which is TypeScript and JavaScript only.
        const untied = reference.flag === null || languageOfFile(module.file) !== 'typescript' ? undefined : ties.why(candidate, module.file, reference.kind === 'wrapper');
        references.push(untied === undefined ? reference : { ...reference, untied });
      }
    }
    if (missing.size === 0 || round === MAX_IMPORT_ROUNDS) {
      return {
        references,
        dropped,
        wrappers: [...inferred.patterns.values(), ...inferred.builtins.values()],
        shadowed: [...shadowed].map(([name, s]) => ({ name, ...s })),
        files: modules.length,
        lines,
        diagnostics,
      };
    }
    await analyse([...missing].map((shown) => absolute.get(shown)!), false, 0);
  }
}

/** How far keys are followed into files outside the scan. */
const MAX_IMPORT_ROUNDS = 16;

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

function unreadable(file: string, code: string): Diagnostic {
  const [message, hint] = code === TOO_DEEP
    ? [
        'This source file nests its code deeper than flagops can walk (a thousand levels or more), so its flag references are unknown.',
        'If it is generated, exclude it in scan.exclude; otherwise split the expression that nests so deep.',
      ]
    : [
        code.startsWith('a ')
          ? `This source file is ${code}, not a regular file, so it was not read and its flag references are unknown.`
          : `This source file could not be read (${code}), so its flag references are unknown.`,
        'Check its permissions, or exclude it in scan.exclude.',
      ];
  return { severity: 'warning', code: 'source-unreadable', file, line: 1, column: 1, message, hint };
}
