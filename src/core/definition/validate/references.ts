import type { Config } from '../config.js';
import type { Diagnostic, Severity } from '../../shared/diagnostic.js';
import { cycleEdges } from '../../shared/cycles.js';
import type { Span } from '../load/source-map.js';
import { DEFAULT_VARIANTS, trueVariant } from '../model.js';
import { didYouMean, quoteList } from '../../shared/suggest.js';
import type { LoadedSegment } from './validate-segments.js';
import type { LoadedFlag, RequireUse } from './validate-flags.js';

/** The checks across files: what flags and segments name exists, fits, and leads nowhere in a circle. */
export const REFERENCE_CHECKS = {
  'unknown-segment': { severity: 'error', description: 'A segment named by a rule or a segment has a file under segments/.' },
  'segment-not-in-environment': { severity: 'error', description: 'A flag uses a segment only in environments the segment exists in.' },
  'segment-cycle': { severity: 'error', description: 'Segments do not name each other in a circle.' },
  'segment-unused': { severity: 'warning', description: 'Every segment is used by some flag (a warning: delete it or use it).' },
  'unknown-prerequisite': { severity: 'error', description: 'A prerequisite names an existing flag.' },
  'prerequisite-variant': { severity: 'error', description: 'A prerequisite names a variant its flag has; a plain key needs a flag with a true variant.' },
  'prerequisite-cycle': { severity: 'error', description: 'Prerequisites do not lead back to the flag, in any environment.' },
  'prerequisite-expires-first': { severity: 'warning', description: 'A prerequisite does not expire before the flag that needs it (a warning).' },
} as const satisfies Record<string, { severity: Severity; description: string }>;

export interface ReferenceInput {
  flags: readonly LoadedFlag[];
  segments: readonly LoadedSegment[];
  config: Config;
  /** Keys of flag and segment files that exist but did not validate: named, but not "unknown". */
  brokenFlags?: ReadonlySet<string>;
  brokenSegments?: ReadonlySet<string>;
  /** Only some flag files were read (validate <paths>): unused segments cannot be told. */
  partial?: boolean;
  /** The segments folder, for hints. */
  segmentsFolder?: string;
}

type Report = (code: keyof typeof REFERENCE_CHECKS, file: string, span: Span, message: string, hint: string, flag?: string) => void;

const arrow = (keys: readonly string[]) => keys.join(' → ');

/** Pure: every finding across flag and segment files, at the line of the name that causes it. */
export function checkReferences(input: ReferenceInput): Diagnostic[] {
  const { flags, segments, config } = input;
  const out: Diagnostic[] = [];
  const report: Report = (code, file, span, message, hint, flag) =>
    out.push({ severity: REFERENCE_CHECKS[code].severity, code, file, ...span, message, hint, ...(flag ? { flag } : {}) });
  const segmentByKey = new Map(segments.map((s) => [s.key, s]));
  const flagByKey = new Map(flags.map((f) => [f.key, f]));
  const environments = Object.keys(config.environments);
  const folder = input.segmentsFolder ?? 'segments';

  const unknownSegment = (key: string, file: string, span: Span, flag?: string) => {
    if (input.brokenSegments?.has(key)) return;
    const guess = didYouMean(key, segmentByKey.keys());
    const known = segments.length > 0 ? `; there are ${quoteList(segments.map((s) => s.key).slice(0, 8), 'and')}${segments.length > 8 ? ', …' : ''}` : '';
    const message = `No segment "${key}".${guess ? ` Did you mean "${guess}"?` : ''}`;
    report('unknown-segment', file, span, message, `Segments are files under ${folder}/ named <key>.yaml${known}.`, flag);
  };
  const inEnvironment = (segment: LoadedSegment, environment: string) =>
    !segment.definition.environments || segment.definition.environments.includes(environment);

  for (const flag of flags) {
    for (const use of flag.uses.segments) {
      const segment = segmentByKey.get(use.key);
      if (!segment) unknownSegment(use.key, flag.file, use.span, flag.key);
      else if (!inEnvironment(segment, use.environment)) {
        report('segment-not-in-environment',
          flag.file,
          use.span,
          `Segment "${use.key}" exists only in ${quoteList(segment.definition.environments!, 'and')}, so ${use.environment} cannot use it.`,
          `Add ${use.environment} to environments in ${segment.file}, or use another segment here.`,
          flag.key,
        );
      }
    }
  }
  for (const segment of segments) {
    for (const use of segment.uses) {
      const other = segmentByKey.get(use.key);
      if (!other) unknownSegment(use.key, segment.file, use.span);
      else {
        const missing = (segment.definition.environments ?? environments).filter((env) => !inEnvironment(other, env));
        if (missing.length > 0) {
          report('segment-not-in-environment',
            segment.file,
            use.span,
            `Segment "${use.key}" does not exist in ${quoteList(missing, 'and')}, where "${segment.key}" does.`,
            `Limit ${segment.file} to ${quoteList(other.definition.environments!, 'and')} (environments: [...]), or add ${quoteList(missing, 'and')} to ${other.file}.`,
          );
        }
      }
    }
  }

  // Segment cycles: each edge of a cycle is reported where it is written.
  const segmentNext = (key: string) => (segmentByKey.get(key)?.uses ?? []).map((u) => u.key).filter((k) => segmentByKey.has(k));
  for (const edge of cycleEdges(segmentByKey.keys(), segmentNext)) {
    const segment = segmentByKey.get(edge.from)!;
    for (const use of segment.uses.filter((u) => u.key === edge.to)) {
      report('segment-cycle',
        segment.file,
        use.span,
        `Segments name each other in a circle: ${arrow(edge.cycle)}. No context could be tested against them.`,
        edge.cycle.length === 2 ? `A segment cannot include itself: remove "${edge.to}" here.` : `Break the circle: remove one of these references (this one names "${edge.to}").`,
      );
    }
  }

  // Unused: not reached from any flag's rules, directly or through other segments.
  if (!input.partial) {
    const used = new Set<string>();
    const reach = (key: string) => {
      if (used.has(key)) return;
      used.add(key);
      for (const next of segmentNext(key)) reach(next);
    };
    for (const flag of flags) for (const use of flag.uses.segments) if (segmentByKey.has(use.key)) reach(use.key);
    for (const segment of segments) {
      if (!used.has(segment.key)) {
        report('segment-unused', segment.file, segment.anchor, `No flag uses the segment "${segment.key}".`, 'Use it in a rule (segments: [key]) or delete the file.');
      }
    }
  }

  // Prerequisites: each names a flag and a variant it has.
  for (const flag of flags) {
    for (const use of flag.uses.requires) {
      const target = flagByKey.get(use.flag);
      if (!target) {
        if (input.brokenFlags?.has(use.flag) || (input.partial && !flagByKey.has(use.flag))) continue;
        const guess = didYouMean(use.flag, flagByKey.keys());
        report('unknown-prerequisite', flag.file, use.span, `No flag "${use.flag}" to require.${guess ? ` Did you mean "${guess}"?` : ''}`, 'A prerequisite names a flag by its key (its file name).', flag.key);
        continue;
      }
      checkVariant(flag, use, target, report);
      const [mine, theirs] = [flag.definition.expires, target.definition.expires];
      if (theirs !== undefined && (mine === undefined || theirs < mine)) {
        report('prerequisite-expires-first',
          flag.file,
          use.span,
          `"${use.flag}" expires on ${theirs}, ${mine ? `before this flag (${mine})` : 'and this flag never does'}: once it is removed, this flag serves its offVariant.`,
          `Remove this prerequisite before ${theirs}, or extend the expiry of ${target.file}.`,
          flag.key,
        );
      }
    }
  }

  // Prerequisite cycles, per environment (a requires written in one environment only applies there).
  const cycles = new Map<string, { flag: LoadedFlag; use: RequireUse; cycle: string[]; environments: string[] }>();
  for (const environment of environments) {
    const applies = (use: RequireUse) => use.environment === undefined || use.environment === environment;
    const next = (key: string) => (flagByKey.get(key)?.uses.requires ?? []).filter(applies).map((u) => u.flag).filter((k) => flagByKey.has(k));
    for (const edge of cycleEdges(flagByKey.keys(), next)) {
      const flag = flagByKey.get(edge.from)!;
      for (const use of flag.uses.requires.filter((u) => u.flag === edge.to && applies(u))) {
        const id = `${flag.key}\0${use.span.line}:${use.span.column}\0${edge.cycle.join('\0')}`;
        const entry = cycles.get(id) ?? { flag, use, cycle: edge.cycle, environments: [] };
        entry.environments.push(environment);
        cycles.set(id, entry);
      }
    }
  }
  for (const { flag, use, cycle, environments: where } of cycles.values()) {
    const scope = where.length === environments.length ? '' : ` in ${quoteList(where, 'and')}`;
    report('prerequisite-cycle',
      flag.file,
      use.span,
      `Prerequisites lead back to "${flag.key}"${scope}: ${arrow(cycle)}. None of these flags could ever be evaluated.`,
      cycle.length === 2 ? 'A flag cannot require itself: remove this prerequisite.' : `Break the circle: remove one of these prerequisites (this one names "${use.flag}").`,
      flag.key,
    );
  }
  return out;
}

function checkVariant(
  flag: LoadedFlag,
  use: RequireUse,
  target: LoadedFlag,
  report: Report,
) {
  const variants = target.definition.variants ?? DEFAULT_VARIANTS;
  const names = Object.keys(variants);
  if (use.variant !== undefined) {
    if (Object.hasOwn(variants, use.variant)) return;
    const guess = didYouMean(use.variant, names);
    report('prerequisite-variant',
      flag.file,
      use.variantSpan ?? use.span,
      `"${use.flag}" has no variant "${use.variant}".${guess ? ` Did you mean "${guess}"?` : ''}`,
      `Its variants: ${quoteList(names, 'and')} (${target.file}).`,
      flag.key,
    );
  } else if (trueVariant(target.definition) === undefined) {
    report('prerequisite-variant',
      flag.file,
      use.span,
      `"${use.flag}" has no variant that is true, so "requires: [${use.flag}]" does not say which variant it must serve.`,
      `Name it: requires: [{ flag: ${use.flag}, variant: ${names[0]} }] (variants: ${quoteList(names, 'and')}).`,
      flag.key,
    );
  }
}
