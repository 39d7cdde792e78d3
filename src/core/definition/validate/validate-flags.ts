import type { Config } from '../config.js';
import { capPerFile, type Diagnostic, MAX_DIAGNOSTICS_PER_FILE } from '../../shared/diagnostic.js';
import { parseYaml } from '../load/parse-yaml.js';
import type { PathSegment, SourceMap, Span } from '../load/source-map.js';
import type { FlagDocument, Requirement } from '../model.js';
import { flagSchema } from '../schema/flag-schema.js';
import { type SchemaCheck, schemaCheck } from './ajv.js';
import { ruleContext } from './rule.js';
import { flagRules } from './rules/index.js';
import { schemaDiagnostics } from './schema-errors.js';
import { segmentSites } from './walk.js';

export interface FlagText {
  /** Path relative to the project root, with / separators. */
  file: string;
  text: string;
}

/** A segment a flag's rule names in one environment, and where. */
export interface SegmentUse {
  key: string;
  environment: string;
  span: Span;
}

/** A prerequisite, in every environment (no `environment`) or in one, and where it is written. */
export interface RequireUse {
  flag: string;
  variant?: string;
  environment?: string;
  span: Span;
  /** Where the variant is written, for a finding about it. */
  variantSpan?: Span;
}

/** A flag that passed the schema and every rule: plain data, the input of every later stage. */
export interface LoadedFlag {
  key: string;
  file: string;
  definition: FlagDocument;
  /** Where the fields that later findings (expired, stale, unused) point at are in the file. */
  anchors: { created: Span; owner: Span; expires?: Span; environments: Span; environment: Record<string, Span> };
  /** The segments and flags it names, for the checks across files. */
  uses: { segments: SegmentUse[]; requires: RequireUse[] };
}

export interface FlagValidation {
  flags: LoadedFlag[];
  diagnostics: Diagnostic[];
}

let checkFlag: SchemaCheck | undefined;

/** The flag key a file defines: its name without the .yaml or .yml extension. */
export function keyFromFile(file: string): string {
  return (file.split('/').at(-1) ?? file).replace(/\.ya?ml$/i, '');
}

/** Parses and validates flag files. Pure: the caller reads the files. Never throws. */
export function validateFlagTexts(files: readonly FlagText[], config: Config): FlagValidation {
  const flags: LoadedFlag[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const result = validateFlagText(file, config);
    if (result.flag) flags.push(result.flag);
    for (const diagnostic of result.diagnostics) diagnostics.push(diagnostic);
  }
  for (const diagnostic of duplicateKeys(files.map((f) => f.file))) diagnostics.push(diagnostic);
  return { flags, diagnostics };
}

/** One file on its own: everything but the checks across files. */
export function validateFlagText(
  { file, text }: FlagText,
  config: Config,
): { flag?: LoadedFlag; diagnostics: Diagnostic[] } {
  checkFlag ??= schemaCheck('flag', flagSchema);
  const key = keyFromFile(file);
  const parsed = parseYaml(file, text);
  const diagnostics: Diagnostic[] = parsed.diagnostics.map((d) => ({ ...d, flag: key }));
  if (parsed.value === undefined) return { diagnostics };
  if (parsed.empty) {
    diagnostics.push({
      severity: 'error',
      code: 'file-empty',
      file,
      line: 1,
      column: 1,
      flag: key,
      message: 'The flag file is empty.',
      hint: 'A flag needs at least description, owner, type, created and environments; see docs/flag-format.md.',
    });
    return { diagnostics };
  }
  const errors = checkFlag(parsed.value);
  if (errors.length > 0) {
    const context = { file, flag: key, sourceMap: parsed.sourceMap, rootName: 'the flag' };
    diagnostics.push(...schemaDiagnostics(errors, context, MAX_DIAGNOSTICS_PER_FILE - diagnostics.length));
    return { diagnostics };
  }
  const definition = parsed.value as FlagDocument;
  const before = diagnostics.length;
  for (const rule of flagRules) {
    rule.check(
      definition,
      ruleContext(rule, { file, key, config, sourceMap: parsed.sourceMap }, diagnostics),
    );
  }
  const clean = diagnostics.slice(before).every((d) => d.severity !== 'error');
  if (!clean) return { diagnostics: capPerFile(diagnostics) };
  const anchors: LoadedFlag['anchors'] = {
    created: parsed.sourceMap.locate(['created']),
    owner: parsed.sourceMap.locate(['owner']),
    environments: parsed.sourceMap.locate(['environments'], 'key'),
    environment: Object.fromEntries(Object.keys(definition.environments).map((env) => [env, parsed.sourceMap.locate(['environments', env], 'key')])),
    ...(definition.expires !== undefined ? { expires: parsed.sourceMap.locate(['expires']) } : {}),
  };
  const uses = usesOf(definition, parsed.sourceMap);
  return { diagnostics: capPerFile(diagnostics), flag: { key, file, definition, anchors, uses } };
}

function usesOf(definition: FlagDocument, sourceMap: SourceMap): LoadedFlag['uses'] {
  const segments: SegmentUse[] = [];
  const requires: RequireUse[] = [];
  const requirements = (list: readonly Requirement[] | undefined, path: PathSegment[], environment?: string) =>
    (list ?? []).forEach((r, i) => {
      const at = [...path, i];
      if (typeof r === 'string') requires.push({ flag: r, span: sourceMap.locate(at), ...(environment ? { environment } : {}) });
      else {
        requires.push({
          flag: r.flag,
          span: sourceMap.locate([...at, 'flag']),
          ...(r.variant !== undefined ? { variant: r.variant, variantSpan: sourceMap.locate([...at, 'variant']) } : {}),
          ...(environment ? { environment } : {}),
        });
      }
    });
  requirements(definition.requires, ['requires']);
  for (const [environment, env] of Object.entries(definition.environments)) {
    requirements(env.requires, ['environments', environment, 'requires'], environment);
    (env.rules ?? []).forEach((rule, i) => {
      for (const site of segmentSites(rule, ['environments', environment, 'rules', i])) {
        segments.push({ key: site.key, environment, span: sourceMap.locate(site.path) });
      }
    });
  }
  return { segments, requires };
}

/** Keys of files that were found but did not validate: named elsewhere, they are not "unknown". */
export function brokenKeys(paths: readonly string[], loaded: ReadonlyArray<{ key: string }>): Set<string> {
  const valid = new Set(loaded.map((l) => l.key));
  return new Set(paths.map(keyFromFile).filter((key) => !valid.has(key)));
}

export const DUPLICATE_FLAG_KEY = {
  code: 'duplicate-flag-key',
  description: 'Flag keys are unique across all files, ignoring case.',
};

/**
 * Two files whose keys differ only in case collide on case-insensitive file systems (macOS,
 * Windows) and read as one flag to people: an error at each of them.
 */
export function duplicateKeys(files: readonly string[]): Diagnostic[] {
  const byKey = new Map<string, string[]>();
  for (const file of files) {
    const folded = keyFromFile(file).toLowerCase();
    byKey.set(folded, [...(byKey.get(folded) ?? []), file]);
  }
  const out: Diagnostic[] = [];
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    const sorted = [...group].sort();
    for (const file of sorted) {
      const others = sorted.filter((f) => f !== file);
      out.push({
        severity: 'error',
        code: DUPLICATE_FLAG_KEY.code,
        file,
        line: 1,
        column: 1,
        flag: keyFromFile(file),
        message: `The flag key "${keyFromFile(file)}" is also defined by ${others.join(', ')} (keys are compared ignoring case: they collide on case-insensitive file systems).`,
        hint: 'Keep one of them: rename or delete the others.',
      });
    }
  }
  return out;
}
