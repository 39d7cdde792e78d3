import type { ErrorObject } from 'ajv';
import { type Diagnostic, describeType, moreProblems, preview } from '../../shared/diagnostic.js';
import type { PathSegment, SourceMap } from '../load/source-map.js';
import { FLAG_KEY_PATTERN } from '../model.js';
import { ENVIRONMENT_NAME_PATTERN, METADATA_NAME_PATTERN, SINGLE_LINE_PATTERN, VARIANT_NAME_PATTERN } from '../schema/common.js';
import { didYouMean, quoteList } from '../../shared/suggest.js';

const patternMeaning: Record<string, string> = {
  [VARIANT_NAME_PATTERN]:
    'a variant name: letters, digits, "_", "." and "-", starting with a letter or digit, not digits only',
  [ENVIRONMENT_NAME_PATTERN]:
    'an environment name: lowercase letters, digits, "_" and "-", starting with a letter (at most 32)',
  [SINGLE_LINE_PATTERN]: 'one line of text, without line breaks or control characters',
  [METADATA_NAME_PATTERN]:
    'a metadata name: letters, digits, "_", "." and "-", starting with a letter (at most 64)',
  [FLAG_KEY_PATTERN]:
    'a flag key: letters, digits, "_", "." and "-", starting with a letter or digit',
};

const formatMeaning: Record<string, string> = {
  date: 'a date like 2026-11-24 (YYYY-MM-DD)',
  'date-time': 'a time with a zone, like 2026-11-24T09:00:00Z',
};

export interface SchemaErrorContext {
  file: string;
  flag?: string;
  sourceMap: SourceMap;
  /** How the root is called in messages: "the flag" or "the configuration". */
  rootName: string;
}

/**
 * ajv errors → diagnostics at the offending YAML node, with what was expected and what was found.
 * After `limit` diagnostics the rest are counted, not translated, in one `more-problems` diagnostic:
 * a file of 100,000 unknown fields must not take minutes.
 */
export function schemaDiagnostics(errors: readonly ErrorObject[], ctx: SchemaErrorContext, limit = Number.POSITIVE_INFINITY): Diagnostic[] {
  const misspelt = misspeltRequiredFields(errors);
  const atPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = atPath.get(e.instancePath);
    if (list) list.push(e);
    else atPath.set(e.instancePath, [e]);
  }
  const relevant = errors.filter(
    (e) =>
      !isBranchNoise(e, atPath.get(e.instancePath) ?? []) &&
      !(e.keyword === 'required' && misspelt.has(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`)),
  );
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const [i, error] of relevant.entries()) {
    if (out.length >= limit) {
      const next = translate(error, ctx);
      if (next) out.push(moreProblems(next, relevant.length - i, out.length));
      break;
    }
    const translated = translate(error, ctx);
    if (!translated) continue;
    const id = `${translated.line}:${translated.column}:${translated.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(translated);
  }
  return out;
}

/**
 * `enabeld: true` is one mistake, not two: when an unknown field's closest match is a required field
 * that is missing at the same place, only the unknown field is reported (its message names the fix).
 */
function misspeltRequiredFields(errors: readonly ErrorObject[]): Set<string> {
  const missing = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword !== 'required') continue;
    const list = missing.get(e.instancePath) ?? [];
    list.push((e.params as { missingProperty: string }).missingProperty);
    missing.set(e.instancePath, list);
  }
  const out = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const field = (e.params as { additionalProperty: string }).additionalProperty;
    const guess = didYouMean(field, missing.get(e.instancePath) ?? []);
    if (guess) out.add(`${e.instancePath}/${guess}`);
  }
  return out;
}

/**
 * Errors from inside oneOf/anyOf branches and if/then wrappers repeat what a more precise error says,
 * or describe branches the user never meant; the combinator's own error is translated instead.
 */
function isBranchNoise(error: ErrorObject, samePath: readonly ErrorObject[]): boolean {
  if (error.keyword === 'if' || error.keyword === 'propertyNames') return true;
  if (/\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath)) return true;
  if (error.keyword === 'oneOf' || error.keyword === 'anyOf') {
    return samePath.some((other) => other !== error && !isCombinatorPart(other));
  }
  return false;
}

const isCombinatorPart = (e: ErrorObject) =>
  e.keyword === 'oneOf' || e.keyword === 'anyOf' || /\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath);

function translate(error: ErrorObject, ctx: SchemaErrorContext): Diagnostic | undefined {
  const path = parsePointer(error.instancePath);
  const where = describePath(path, ctx.rootName);
  // Paths stay as written in YAML (environments.production…); only the root's name is capitalised.
  const subject = path.length === 0 ? capital(where) : where;
  // ajv puts the offending key of a propertyNames failure on the inner error itself.
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  const at = (p: readonly PathSegment[], part: 'key' | 'value' = 'value') => ctx.sourceMap.locate(p, part);
  const make = (code: string, span: ReturnType<typeof at>, message: string, hint?: string): Diagnostic => ({
    severity: 'error',
    code,
    file: ctx.file,
    ...span,
    message,
    ...(ctx.flag ? { flag: ctx.flag } : {}),
    ...(hint ? { hint } : {}),
  });
  const properties = (error.parentSchema as { properties?: Record<string, { description?: string }> })
    ?.properties;

  if (propertyName !== undefined) {
    const span = at([...path, propertyName], 'key');
    if (error.keyword === 'not') {
      return make(
        'reserved-name',
        span,
        `"${propertyName}" is a reserved name and cannot be used as a key in ${where}.`,
        'Pick another name; __proto__, constructor and prototype would clash with JavaScript objects.',
      );
    }
    const meaning = patternMeaning[(error.params as { pattern?: string }).pattern ?? ''];
    return make(
      'invalid-name',
      span,
      `${preview(propertyName)} is not a valid name in ${where}: expected ${meaning ?? describeAjv(error)}.`,
    );
  }

  switch (error.keyword) {
    case 'additionalProperties': {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(properties ?? {}).filter((k) => k !== '$schema');
      const guess = didYouMean(field, known);
      return make(
        'unknown-field',
        at([...path, field], 'key'),
        `Unknown field ${preview(field)} in ${where}.${guess ? ` Did you mean "${guess}"?` : ''}`,
        known.length > 0 ? `Fields allowed here: ${known.join(', ')}.` : undefined,
      );
    }
    case 'required': {
      const field = (error.params as { missingProperty: string }).missingProperty;
      const about = properties?.[field]?.description;
      return make(
        'missing-field',
        at(path, 'key'),
        `Missing required field "${field}" in ${where}.`,
        about ? `"${field}" — ${about}` : undefined,
      );
    }
    case 'type': {
      const types = String((error.params as { type: string | string[] }).type).split(',');
      return make(
        'wrong-type',
        at(path),
        `${subject} must be ${types.map(article).join(' or ')}; found ${describeType(error.data)}.`,
        typeHint(types, error.data, path),
      );
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const guess = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
      return make(
        'invalid-value',
        at(path),
        `${subject} must be one of ${allowed.join(', ')}; found ${preview(error.data)}.${guess ? ` Did you mean "${guess}"?` : ''}`,
      );
    }
    case 'pattern': {
      const meaning = patternMeaning[(error.params as { pattern: string }).pattern];
      return make(
        'invalid-value',
        at(path),
        `${subject} must be ${meaning ?? describeAjv(error)}; found ${preview(error.data)}.`,
      );
    }
    case 'format': {
      const format = (error.params as { format: string }).format;
      return make(
        'invalid-value',
        at(path),
        `${subject} must be ${formatMeaning[format] ?? format}; found ${preview(error.data)}.`,
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = error.params as { comparison: string; limit: number };
      const words: Record<string, string> = {
        '>=': 'at least',
        '<=': 'at most',
        '>': 'more than',
        '<': 'less than',
      };
      return make(
        'out-of-range',
        at(path),
        `${subject} must be ${words[comparison] ?? comparison} ${limit}; found ${preview(error.data)}.`,
      );
    }
    case 'minItems':
      return make('invalid-value', at(path), `${subject} must list at least one entry; found an empty list.`);
    case 'minProperties':
      return make('invalid-value', at(path), `${subject} must have at least one entry; found none.`);
    case 'minLength':
      return make('invalid-value', at(path), `${subject} must not be empty.`);
    case 'maxLength': {
      const { limit } = error.params as { limit: number };
      const length = typeof error.data === 'string' ? error.data.length : 0;
      return make(
        'invalid-value',
        at(path),
        `${subject} is too long: at most ${limit} characters; found ${length}.`,
      );
    }
    case 'uniqueItems': {
      const { i, j } = error.params as { i: number; j: number };
      const [first, second] = [Math.min(i, j), Math.max(i, j)];
      const items = error.data as unknown[];
      return make(
        'duplicate-entry',
        at([...path, second]),
        `${subject} lists ${preview(items[second])} twice (entries ${first + 1} and ${second + 1}); each entry must be unique.`,
      );
    }
    case 'oneOf':
    case 'anyOf':
      return make('invalid-value', at(path, 'key'), combinatorMessage(error, subject));
    default:
      return make('invalid-value', at(path), `${subject} ${error.message ?? 'is invalid'}.`);
  }
}

/** The likely fix for the type mistakes people make in YAML by hand. */
function typeHint(types: readonly string[], data: unknown, path: readonly PathSegment[]): string | undefined {
  if (types.includes('boolean') && typeof data === 'string') {
    return /^(true|false)$/i.test(data)
      ? `Write ${data.toLowerCase()} without quotes.`
      : 'Write true or false: YAML 1.2 reads yes, no, on and off as text.';
  }
  if (path.at(-1) === 'serve' && typeof data === 'boolean') {
    return `serve names a variant: write serve: ${data ? 'on' : 'off'}.`;
  }
  if (types.includes('array') && data !== null && typeof data === 'object') {
    return 'Start each entry on its own line with "- " to make a list.';
  }
  if (types.includes('array') && data !== null && typeof data !== 'object') {
    return `Write a list, e.g. [${String(data)}].`;
  }
  if (types.includes('number') && typeof data === 'string' && /^\s*-?\d+(\.\d+)?\s*%?\s*$/.test(data)) {
    return `Write the number without quotes or %: ${Number.parseFloat(data)}.`;
  }
  return undefined;
}

/** Explains "exactly one of" / "at least one of" over branches that each require one field. */
function combinatorMessage(error: ErrorObject, subject: string): string {
  const branches = (error.schema as Array<{ required?: string[] }>) ?? [];
  const options = branches.flatMap((b) => b.required ?? []);
  const data = error.data && typeof error.data === 'object' ? Object.keys(error.data) : [];
  const present = options.filter((o) => data.includes(o));
  if (error.keyword === 'anyOf') {
    return `${subject} needs at least one of ${quoteList(options)}; found none.`;
  }
  const found = present.length === 0 ? 'found none' : `found ${quoteList(present, 'and')}`;
  return `${subject} must set exactly one of ${quoteList(options)}; ${found}.`;
}

function describeAjv(error: ErrorObject): string {
  return (error.message ?? 'valid').replace(/^must (be |match )?/, '');
}

function parsePointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** environments.production.rules[0].serve — how a YAML user would name the place. */
export function describePath(path: readonly PathSegment[], rootName: string): string {
  if (path.length === 0) return rootName;
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const article = (type: string) =>
  type === 'object'
    ? 'a mapping'
    : type === 'array'
      ? 'a list'
      : type === 'integer'
        ? 'a whole number'
        : type === 'null'
          ? 'null'
          : `a ${type}`;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
