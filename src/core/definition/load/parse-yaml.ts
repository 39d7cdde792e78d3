import { type Alias, type Document, isAlias, isCollection, isMap, isPair, isScalar, parseDocument, type YAMLError } from 'yaml';
import type { Diagnostic } from '../../shared/diagnostic.js';
import { SourceMap } from './source-map.js';

/** Deeper than any real flag or config file; shallow enough that no recursive reader overflows. */
export const MAX_DEPTH = 64;
export const MAX_ALIASES = 100;
const MAX_YAML_ERRORS = 10;

export interface ParsedYaml {
  file: string;
  /** undefined when the file could not be read as YAML at all. */
  value: unknown;
  empty: boolean;
  sourceMap: SourceMap;
  diagnostics: Diagnostic[];
}

const yamlCodes: Record<string, { code: string; hint?: string }> = {
  DUPLICATE_KEY: { code: 'yaml-duplicate-key', hint: 'Remove or rename one of the two keys.' },
  RESOURCE_EXHAUSTION: { code: 'yaml-too-deep', hint: `Flag files nest at most ${MAX_DEPTH} levels.` },
  TAB_AS_INDENT: { code: 'yaml-syntax', hint: 'Indent with spaces; YAML does not allow tabs.' },
  MULTIPLE_DOCS: { code: 'yaml-syntax', hint: 'Put each flag in its own file, named after its key.' },
};

/** YAML text → plain value plus positions. Never throws: every problem becomes a diagnostic. */
export function parseYaml(file: string, text: string): ParsedYaml {
  // yaml's own uniqueKeys check compares every key with every other (quadratic in a mapping's size):
  // duplicates are found below, with one set per mapping.
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, strict: true });
  const sourceMap = new SourceMap(doc, text);
  const diagnostics = yamlProblems(file, text, doc, sourceMap);
  const empty = doc.contents === null;
  if (diagnostics.some((d) => d.severity === 'error'))
    return { file, value: undefined, empty, sourceMap, diagnostics };

  const tooDeep = findTooDeep(doc);
  if (tooDeep) {
    diagnostics.push({
      severity: 'error',
      code: 'yaml-too-deep',
      file,
      ...sourceMap.spanOfOffsets(tooDeep, tooDeep),
      message: `Nesting goes deeper than ${MAX_DEPTH} levels here; flagops reads at most ${MAX_DEPTH}.`,
      hint: 'Flatten the structure; a flag file never needs this depth.',
    });
    return { file, value: undefined, empty, sourceMap, diagnostics };
  }

  try {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES });
    const odd = firstNonFinite(value);
    if (odd) {
      const span = sourceMap.locate(odd.path);
      const written = text.slice(...sourceMap.rangeOf(odd.path)).trim() || String(odd.value);
      diagnostics.push({
        severity: 'error',
        code: 'invalid-value',
        file,
        ...span,
        message: `${pathText(odd.path)} is ${written} (${Number.isNaN(odd.value) ? 'not a number' : 'infinite'}); flagops files hold finite numbers only: JSON, in which flags are stored, has no infinity or NaN.`,
        hint: 'Write a finite number (for "no limit", a large one, or a string variant).',
      });
      return { file, value: undefined, empty, sourceMap, diagnostics };
    }
    return { file, value, empty, sourceMap, diagnostics };
  } catch (error) {
    diagnostics.push(conversionProblem(file, doc, sourceMap, error));
    return { file, value: undefined, empty, sourceMap, diagnostics };
  }
}

/** toJS refuses alias bombs and aliases without an anchor; anything else it throws is reported as is. */
function conversionProblem(file: string, doc: Document, sourceMap: SourceMap, error: unknown): Diagnostic {
  const aliases = aliasNodes(doc);
  const unresolved = aliases.find((a) => a.resolve(doc) === undefined);
  const at = (node: Alias | undefined) => sourceMap.spanOfOffsets(node?.range?.[0] ?? 0, node?.range?.[1] ?? 0);
  if (unresolved) {
    return {
      severity: 'error',
      code: 'yaml-syntax',
      file,
      ...at(unresolved),
      message: `Unknown alias *${unresolved.source}: no anchor &${unresolved.source} comes before it.`,
      hint: `Define the anchor first (key: &${unresolved.source} value), or write the value out.`,
    };
  }
  if (/excessive alias count/i.test((error as Error)?.message ?? '')) {
    return {
      severity: 'error',
      code: 'yaml-alias-limit',
      file,
      ...at(aliases[0]),
      message: `Aliases expand to too many nodes (more than ${MAX_ALIASES}): this looks like an alias bomb.`,
      hint: 'Write the values out instead of nesting aliases of aliases.',
    };
  }
  return {
    severity: 'error',
    code: 'yaml-syntax',
    file,
    line: 1,
    column: 1,
    message: `The YAML could not be turned into data: ${(error as Error)?.message ?? String(error)}`,
  };
}

function yamlProblems(file: string, text: string, doc: Document, sourceMap: SourceMap): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  const add = (e: Pick<YAMLError, 'code' | 'pos' | 'message'>, severity: 'error' | 'warning') => {
    const known = e.message.includes('reserved character')
      ? {
          code: 'yaml-syntax',
          hint: 'Quote the value: a plain YAML value cannot start with @ or `, e.g. owner: "@acme/payments".',
        }
      : yamlCodes[e.code];
    const code = known?.code ?? 'yaml-syntax';
    // A stack overflow in the parser repeats once per level; one report is enough.
    const id = code === 'yaml-too-deep' ? code : `${code}@${e.pos[0]}`;
    if (seen.has(id) || out.length >= MAX_YAML_ERRORS) return;
    seen.add(id);
    const span = sourceMap.spanOfOffsets(e.pos[0], e.pos[1]);
    out.push({
      severity,
      code,
      file,
      ...span,
      message: describeYamlError(e, /^[^:\n]*/.exec(text.slice(e.pos[0], e.pos[0] + 200))?.[0]?.trim() ?? ''),
      hint: known?.hint,
    });
  };
  for (const e of doc.errors) add(e, 'error');
  for (const e of duplicateKeys(doc)) add(e, 'error');
  for (const w of doc.warnings) add(w, 'warning');
  return out;
}

/** A second key equal to an earlier one in the same mapping (the same scalar type and value), in document order. */
function duplicateKeys(doc: Document): Array<Pick<YAMLError, 'code' | 'pos' | 'message'>> {
  const out: Array<Pick<YAMLError, 'code' | 'pos' | 'message'>> = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0 && out.length < MAX_YAML_ERRORS) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (!isCollection(node)) continue;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const id = `${typeof pair.key.value}:${String(pair.key.value)}`;
        if (seen.has(id)) out.push({ code: 'DUPLICATE_KEY', pos: [pair.key.range?.[0] ?? 0, pair.key.range?.[1] ?? 0], message: 'Map keys must be unique' });
        seen.add(id);
      }
    }
    for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  return out.sort((a, b) => a.pos[0] - b.pos[0]);
}

function describeYamlError(e: Pick<YAMLError, 'code' | 'message'>, text: string): string {
  const first = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (e.code) {
    case 'DUPLICATE_KEY':
      return `Duplicate key${text ? ` "${text.slice(0, 40)}"` : ''}: this mapping already has a key with this name; YAML keys must be unique.`;
    case 'MULTIPLE_DOCS':
      return 'A second YAML document starts here; a flag file holds exactly one flag.';
    case 'RESOURCE_EXHAUSTION':
      return `Nesting is too deep to read (flagops reads at most ${MAX_DEPTH} levels).`;
    default:
      return `Invalid YAML: ${first.endsWith('.') ? first : `${first}.`}`;
  }
}

/** Offset of the first node nested deeper than MAX_DEPTH, without recursion. */
function findTooDeep(doc: Document): number | undefined {
  const stack: Array<[unknown, number]> = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > MAX_DEPTH) return node.range?.[0] ?? 0;
    for (const item of node.items) {
      if (isPair(item)) stack.push([item.value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return undefined;
}

/** Every alias node, in document order, without recursion. */
function aliasNodes(doc: Document): Alias[] {
  const out: Alias[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) out.push(node);
    else if (isPair(node)) stack.push(node.value, node.key);
    else if (isCollection(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  return out;
}

/** The first number that JSON cannot hold (.inf, -.inf, .nan, 1e999), with its path; depth is bounded above. */
function firstNonFinite(root: unknown): { path: Array<string | number>; value: number } | undefined {
  const stack: Array<[unknown, Array<string | number>]> = [[root, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) return { path, value };
    if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], [...path, i]]);
    else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], [...path, entries[i]![0]]]);
    }
  }
  return undefined;
}

const pathText = (path: ReadonlyArray<string | number>) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || 'the value';
