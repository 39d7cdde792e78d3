import type { Config } from '../config.js';
import { capPerFile, type Diagnostic, MAX_DIAGNOSTICS_PER_FILE, preview } from '../../shared/diagnostic.js';
import { parseYaml } from '../load/parse-yaml.js';
import type { PathSegment, Span } from '../load/source-map.js';
import { FLAG_KEY_PATTERN, type SegmentDocument } from '../model.js';
import { RESERVED_NAMES } from '../schema/common.js';
import { segmentSchema } from '../schema/segment-schema.js';
import { didYouMean, quoteList } from '../../shared/suggest.js';
import { type SchemaCheck, schemaCheck } from './ajv.js';
import { conditionProblem } from './rules/conditions.js';
import { OWNER_HINT, validOwner } from './rules/owner.js';
import { schemaDiagnostics } from './schema-errors.js';
import { duplicateKeys, type FlagText, keyFromFile } from './validate-flags.js';
import { conditionSites, segmentSites } from './walk.js';

/** A segment file that passed the schema and its own checks. */
export interface LoadedSegment {
  key: string;
  file: string;
  definition: SegmentDocument;
  /** The file's first line: where "unused" points. */
  anchor: Span;
  /** The segments it names, and where. */
  uses: Array<{ key: string; span: Span }>;
}

let checkSegment: SchemaCheck | undefined;
const keyPattern = new RegExp(FLAG_KEY_PATTERN);

/** Parses and checks one segment file on its own (references across files are checked later). Never throws. */
export function validateSegmentText({ file, text }: FlagText, config: Config): { segment?: LoadedSegment; diagnostics: Diagnostic[] } {
  checkSegment ??= schemaCheck('segment', segmentSchema);
  const key = keyFromFile(file);
  const parsed = parseYaml(file, text);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (parsed.value === undefined) return { diagnostics };
  const problem = (code: string, path: readonly PathSegment[], message: string, hint: string, part: 'key' | 'value' = 'value') =>
    diagnostics.push({ severity: 'error', code, file, ...parsed.sourceMap.locate(path, part), message, hint });
  if (parsed.empty) {
    problem('file-empty', [], 'The segment file is empty.', 'A segment needs description, owner and at least one condition (users, groups, when, segments, all, any, not); see docs/segments.md.');
    return { diagnostics };
  }
  const errors = checkSegment(parsed.value);
  if (errors.length > 0) {
    const context = { file, sourceMap: parsed.sourceMap, rootName: 'the segment' };
    diagnostics.push(...schemaDiagnostics(errors, context, MAX_DIAGNOSTICS_PER_FILE - diagnostics.length));
    return { diagnostics };
  }
  const definition = parsed.value as SegmentDocument;
  if (!keyPattern.test(key) || RESERVED_NAMES.includes(key)) {
    problem('invalid-key', [], `The file name gives the segment key "${key}", which is not a valid key.`, 'Rename the file: letters, digits, "_", "." and "-", starting with a letter or digit, e.g. beta-customers.yaml.');
  }
  if (definition.key !== undefined && definition.key !== key) {
    problem('key-mismatch', ['key'], `The key field says "${definition.key}" but the file name says "${key}"; they must match.`, `Rename the file to ${definition.key}.yaml, or remove the key field: the file name is the key.`);
  }
  if (!validOwner(definition.owner)) {
    problem('owner-format', ['owner'], `owner must be a GitHub @handle, an @org/team or an e-mail address; found ${preview(definition.owner)}.`, OWNER_HINT);
  }
  const declared = Object.keys(config.environments);
  (definition.environments ?? []).forEach((name, i) => {
    if (Object.hasOwn(config.environments, name)) return;
    const guess = didYouMean(name, declared);
    problem(
      'unknown-environment',
      ['environments', i],
      `Environment "${name}" is not declared.${guess ? ` Did you mean "${guess}"?` : ''}`,
      `Declared environments: ${quoteList(declared, 'and')}.`,
    );
  });
  for (const { condition, path } of conditionSites(definition, [])) {
    const found = conditionProblem(condition);
    if (found) problem('invalid-condition', [...path, 'value'], found.message, found.hint);
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics: capPerFile(diagnostics) };
  const uses = segmentSites(definition, []).map((site) => ({ key: site.key, span: parsed.sourceMap.locate(site.path) }));
  return { diagnostics, segment: { key, file, definition, anchor: parsed.sourceMap.locate([], 'key'), uses } };
}

/**
 * Every segment file, each on its own, and segment keys unique ignoring case across `paths` (all the
 * files found, read or not). The checks across files come after, with the flags. Pure.
 */
export function validateSegmentTexts(
  files: readonly FlagText[],
  config: Config,
  paths: readonly string[] = files.map((f) => f.file),
): { segments: LoadedSegment[]; diagnostics: Diagnostic[] } {
  const segments: LoadedSegment[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const result = validateSegmentText(file, config);
    if (result.segment) segments.push(result.segment);
    diagnostics.push(...result.diagnostics);
  }
  for (const { flag: _flag, ...d } of duplicateKeys(paths)) {
    diagnostics.push({ ...d, code: 'duplicate-segment-key', message: d.message.replace('The flag key', 'The segment key').replace('also defined by', 'also the key of') });
  }
  return { segments, diagnostics };
}
