import type { DropRule } from '../facts.js';
import type { CallPattern } from '../patterns/patterns.js';
import type { Dropped, Reference, ReferenceKind } from '../resolve/resolve.js';
import { callName } from '../resolve/definitions.js';

/** What `flagops scan --explain` is asked about: one flag, or one line of a source file. */
export type ExplainTarget = { flag: string } | { file: string; line: number };

/** A place the scan considered, and what it made of it. */
export interface Place {
  file: string;
  line: number;
  column: number;
  /**
   * counted: a reference; dynamic: a key the scan cannot resolve (it may read the flag); dropped: a
   * precision rule left it out; not-read: the key is written here, but nothing reads it as a flag.
   */
  status: 'counted' | 'dynamic' | 'dropped' | 'not-read';
  flag: string | null;
  kind?: ReferenceKind;
  via?: string;
  rule?: DropRule;
  text: string;
  why: string;
  /** For a counted read cleanup would not rewrite: why. */
  cleanup?: string;
}

/** A key written somewhere in the code (found by the adapter, which parses the file). */
export interface MentionInput {
  flag: string;
  file: string;
  line: number;
  column: number;
  text: string;
  what: string;
}

export interface ExplainInput {
  references: readonly Reference[];
  dropped: readonly Dropped[];
  mentions: readonly MentionInput[];
  /** The call patterns the scan used, inferred wrappers included. */
  patterns: ReadonlyMap<string, CallPattern>;
  /** Hooks and maps the configuration names. */
  configured: ReadonlySet<string>;
  defined: ReadonlySet<string>;
  /** Whether a dynamic reference may read the flag (the key is written in its file, or its expression starts it). */
  mayRead: (reference: Reference, flag: string) => boolean;
}

type Span = Pick<Reference, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>;

const within = (span: Span, file: string, line: number, column: number) =>
  span.file === file &&
  (line > span.line || (line === span.line && column >= span.column)) &&
  (line < span.endLine || (line === span.endLine && column < span.endColumn));

/** Every place considered for the target, in file and line order, with why each was counted or not. */
export function explainPlaces(target: ExplainTarget, input: ExplainInput): Place[] {
  const at = (p: { file: string; line: number }, flag: string | null) =>
    'flag' in target ? flag === target.flag : p.file === target.file && p.line === target.line;
  const places: Place[] = [];
  for (const r of input.references) {
    if (r.flag === null) {
      const considered = 'flag' in target ? input.mayRead(r, target.flag) : at(r, null);
      if (considered) {
        places.push({ ...pos(r), status: 'dynamic', flag: null, kind: r.kind, via: r.via, text: r.expression ?? '', why: `its key cannot be known without running the code: ${r.reason ?? 'it is computed'}; it may read this flag` });
      }
      continue;
    }
    if (!at(r, r.flag)) continue;
    const place: Place = { ...pos(r), status: 'counted', flag: r.flag, kind: r.kind, via: r.via, text: r.expression ?? `'${r.flag}'`, why: countedWhy(r, input) };
    if (r.untied) place.cleanup = r.untied;
    places.push(place);
  }
  // A dropped candidate whose key did not resolve is about the flag when the flag is written inside it.
  const mentioned = (d: Dropped) => d.flag === null && 'flag' in target && input.mentions.some((m) => m.flag === target.flag && within(d, m.file, m.line, m.column));
  for (const d of input.dropped) {
    if (!at(d, d.flag) && !mentioned(d)) continue;
    places.push({ ...pos(d), status: 'dropped', flag: d.flag, kind: d.kind, via: d.via, rule: d.rule, text: d.expression, why: d.why });
  }
  const spans: Span[] = [...input.references, ...input.dropped];
  for (const m of input.mentions) {
    if (!at(m, m.flag) || spans.some((s) => within(s, m.file, m.line, m.column))) continue;
    places.push({ file: m.file, line: m.line, column: m.column, status: 'not-read', flag: m.flag, text: m.text, why: m.what });
  }
  return places.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

const pos = (p: { file: string; line: number; column: number }) => ({ file: p.file, line: p.line, column: p.column });

function countedWhy(r: Reference, input: ExplainInput): string {
  const key = r.undefinedKey ? `"${r.flag}", a key no flag file defines` : `"${r.flag}"`;
  const pattern = input.patterns.get(r.via);
  switch (r.kind) {
    case 'wrapper': {
      const w = pattern?.wrapper;
      return `a call of ${callName(r.via)}, which flagops follows as a flag call${w ? ` (it passes argument ${pattern.argument} to ${callName(w.calls)} at ${w.file}:${w.line})` : ''}: it reads ${key}`;
    }
    case 'call':
      return `a call of ${r.via}() (${pattern?.configured ? 'named in scan.calls' : 'a preset'}${pattern && !pattern.strict ? ', lenient' : ''}) with the key ${key}`;
    case 'jsx':
      return `the <${r.via}> component's key attribute: ${key}`;
    default: {
      const source = input.configured.has(r.via.replace(/\(\)$/, '')) ? 'named in the configuration' : 'a preset';
      return `read from the flags object ${r.via} (${source}) as ${key}`;
    }
  }
}
