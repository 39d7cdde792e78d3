import type { Diagnostic } from '../../shared/diagnostic.js';
import { parseYaml } from '../../definition/load/parse-yaml.js';
import type { PathSegment, Span } from '../../definition/load/source-map.js';
import type { JsonValue } from '../../definition/model.js';

/** What a case requires: any of variant, value, reason and rule (a plain string is a variant). */
export interface Expectation {
  variant?: string;
  value?: JsonValue;
  reason?: string;
  rule?: string;
}

/** One context evaluated against one flag in one environment at one time. */
export interface SpecCase {
  file: string;
  span: Span;
  name?: string;
  flag: string;
  env: string;
  /** ISO time, or undefined for "now". */
  at?: string;
  context: Record<string, unknown>;
  expect: Expectation;
  /** A segment case instead: whether the context is in the segment (`flag` is then ""). */
  segment?: string;
  expectedToMatch?: boolean;
  /** Where parts of the case are, for findings that point at them. */
  spans: { flag: Span; env: Span; expect: Span };
}

const CASE_FIELDS = new Set(['name', 'flag', 'segment', 'env', 'at', 'context', 'expect', 'expectedToMatch']);
const FILE_FIELDS = new Set(['flag', 'segment', 'env', 'at', 'cases']);
const EXPECT_FIELDS = new Set(['variant', 'value', 'reason', 'rule']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** YAML dates arrive as strings (YAML 1.2 core schema); a date alone means midnight UTC. */
function parseAt(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * A flag spec file: defaults for `flag`, `env` and `at`, then `cases`. Every problem is a
 * diagnostic at the offending line; the cases that are well formed are still returned.
 */
export function parseSpecFile(file: string, text: string): { cases: SpecCase[]; diagnostics: Diagnostic[] } {
  const parsed = parseYaml(file, text);
  const diagnostics = [...parsed.diagnostics];
  const cases: SpecCase[] = [];
  if (parsed.value === undefined) return { cases, diagnostics };
  const at = (path: PathSegment[], part: 'key' | 'value' = 'value') => parsed.sourceMap.locate(path, part);
  const problem = (path: PathSegment[], message: string, hint: string, part: 'key' | 'value' = 'value') =>
    diagnostics.push({ severity: 'error', code: 'spec-invalid', file, ...at(path, part), message, hint });

  const root = parsed.value;
  if (!isRecord(root) || !Array.isArray(root.cases)) {
    problem([], 'A flag spec file holds a "cases" list.', 'Start from: cases: [{ flag: new-checkout, env: production, context: { userId: u-1 }, expect: on }]');
    return { cases, diagnostics };
  }
  for (const key of Object.keys(root)) {
    if (!FILE_FIELDS.has(key)) problem([key], `Unknown field "${key}" in a spec file.`, 'A spec file has flag or segment, env, at (defaults for its cases) and cases.', 'key');
  }
  const fileAt = root.at === undefined ? undefined : parseAt(root.at);
  if (root.at !== undefined && fileAt === undefined) problem(['at'], '"at" is not a date or time.', 'Write 2026-12-01 or 2026-12-01T09:00:00Z.');

  root.cases.forEach((raw: unknown, i: number) => {
    const path = ['cases', i];
    if (!isRecord(raw)) return void problem(path, `Case ${i + 1} is not a mapping.`, 'Each case has flag, env, context and expect.');
    let ok = true;
    const fail = (sub: PathSegment[], message: string, hint: string, part: 'key' | 'value' = 'value') => {
      ok = false;
      problem([...path, ...sub], message, hint, part);
    };
    for (const key of Object.keys(raw)) {
      if (!CASE_FIELDS.has(key)) {
        fail([key], `Unknown field "${key}" in case ${i + 1}.`, 'A case has name, flag, env, at, context and expect (or segment, context and expectedToMatch).', 'key');
      }
    }
    const segment = raw.flag === undefined ? (raw.segment ?? root.segment) : undefined;
    if (segment !== undefined) {
      const env = raw.env ?? root.env;
      if (typeof segment !== 'string' || segment === '') fail(['segment'], `Case ${i + 1} names no segment.`, 'Write segment: <key>.');
      if (typeof raw.expectedToMatch !== 'boolean') {
        fail([], `Case ${i + 1} tests a segment but does not say expectedToMatch: true or false.`, 'Add expectedToMatch: true (the context is in the segment) or false.');
      }
      if (raw.expect !== undefined) fail(['expect'], 'A segment case says expectedToMatch, not expect.', 'Replace expect with expectedToMatch: true or false.');
      if (env !== undefined && (typeof env !== 'string' || env === '')) fail(['env'], '"env" is not an environment name.', 'Write env: production, or leave it out.');
      const context = raw.context ?? {};
      if (!isRecord(context)) fail(['context'], 'The context is not a mapping.', 'Write context: { userId: u-1, plan: pro }.');
      if (!ok) return;
      cases.push({
        file,
        span: at(path),
        ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
        flag: '',
        segment: segment as string,
        expectedToMatch: raw.expectedToMatch as boolean,
        env: (env as string | undefined) ?? '',
        context: context as Record<string, unknown>,
        expect: {},
        spans: {
          flag: raw.segment !== undefined ? at([...path, 'segment']) : at(['segment']),
          env: raw.env !== undefined ? at([...path, 'env']) : at(['env']),
          expect: at([...path, 'expectedToMatch']),
        },
      });
      return;
    }
    const flag = raw.flag ?? root.flag;
    const env = raw.env ?? root.env;
    if (typeof flag !== 'string' || flag === '') fail([], `Case ${i + 1} names no flag.`, 'Add flag: <key> to the case, or to the file for all its cases.');
    if (typeof env !== 'string' || env === '') fail([], `Case ${i + 1} names no environment.`, 'Add env: <name> to the case, or to the file for all its cases.');
    const caseAt = raw.at === undefined ? fileAt : parseAt(raw.at);
    if (raw.at !== undefined && caseAt === undefined) fail(['at'], '"at" is not a date or time.', 'Write 2026-12-01 or 2026-12-01T09:00:00Z.');
    const context = raw.context ?? {};
    if (!isRecord(context)) fail(['context'], 'The context is not a mapping.', 'Write context: { userId: u-1, plan: pro }.');
    const expect = expectationOf(raw.expect, (sub, message, hint) => fail(['expect', ...sub], message, hint));
    if (!ok || !expect) return;
    cases.push({
      file,
      span: at(path),
      ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
      flag: flag as string,
      env: env as string,
      ...(caseAt !== undefined ? { at: caseAt } : {}),
      context: context as Record<string, unknown>,
      expect,
      spans: {
        flag: raw.flag !== undefined ? at([...path, 'flag']) : at(['flag']),
        env: raw.env !== undefined ? at([...path, 'env']) : at(['env']),
        expect: at([...path, 'expect']),
      },
    });
  });
  return { cases, diagnostics };
}

function expectationOf(raw: unknown, fail: (path: PathSegment[], message: string, hint: string) => void): Expectation | undefined {
  const hint = 'Write expect: on (a variant), or expect: { variant: on, reason: TARGETING_MATCH, rule: staff, value: true }.';
  if (typeof raw === 'string' && raw !== '') return { variant: raw };
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    fail([], 'The case says nothing it expects.', hint);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!EXPECT_FIELDS.has(key)) {
      fail([key], `Unknown field "${key}" in expect.`, hint);
      return undefined;
    }
  }
  for (const key of ['variant', 'reason', 'rule'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') {
      fail([key], `"${key}" is not text.`, hint);
      return undefined;
    }
  }
  return raw as Expectation;
}
