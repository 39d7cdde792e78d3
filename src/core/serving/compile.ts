import { createHash } from 'node:crypto';
import { compileGuard } from '../definition/guard-thresholds.js';
import { BASE_FORMAT, GUARDS_FORMAT, PREREQUISITES_FORMAT, type CompiledFlag, type CompiledMatch, type CompiledRequirement, type CompiledServe } from './compiled.js';
import {
  DEFAULT_OFF_VARIANT,
  DEFAULT_ON_VARIANT,
  DEFAULT_STICKINESS,
  DEFAULT_VARIANTS,
  type FlagDocument,
  type GuardRef,
  type Match,
  type Requirement,
  type SegmentDocument,
  type SegmentMatch,
  type Serve,
  trueVariant,
} from '../definition/model.js';

/** What compiling one flag needs from the others: the segments, and each flag's on variant. */
export interface CompileRefs {
  segments: ReadonlyMap<string, SegmentDocument>;
  /** The variant whose value is true, for `requires: [key]`; undefined for a flag that has none. */
  onVariantOf(key: string): string | undefined;
}

export const NO_REFS: CompileRefs = { segments: new Map(), onVariantOf: () => undefined };

export function compileRefs(
  flags: ReadonlyArray<{ key: string; definition: FlagDocument }>,
  segments: ReadonlyArray<{ key: string; definition: SegmentDocument }> = [],
): CompileRefs {
  const byKey = new Map(flags.map((f) => [f.key, f.definition]));
  return {
    segments: new Map(segments.map((s) => [s.key, s.definition])),
    onVariantOf(key) {
      const flag = byKey.get(key);
      return flag ? trueVariant(flag) : undefined;
    },
  };
}

/**
 * A valid flag as one environment sees it. A flag that does not mention the environment is compiled
 * disabled there, so every environment serves every flag and an unknown key always means a typo.
 */
export function compileFlag(key: string, flag: FlagDocument, environment: string, refs: CompileRefs = NO_REFS): CompiledFlag {
  const env = Object.hasOwn(flag.environments, environment) ? flag.environments[environment] : undefined;
  const offVariant = flag.offVariant ?? DEFAULT_OFF_VARIANT;
  const enabled = env?.enabled === true;
  const requires = enabled ? [...(flag.requires ?? []), ...(env?.requires ?? [])].map((r) => compileRequirement(r, refs)) : [];
  const compiled: CompiledFlag = {
    key,
    type: flag.type,
    enabled,
    variants: { ...(flag.variants ?? DEFAULT_VARIANTS) },
    offVariant,
    salt: flag.salt ?? key,
    ...(requires.length > 0 ? { requires } : {}),
    rules: enabled
      ? (env?.rules ?? []).map((rule) => ({
          ...(rule.name !== undefined ? { name: rule.name } : {}),
          ...compileMatch(rule, refs, []),
          serve: compileServe(rule.serve, flag.guards),
        }))
      : [],
    serve: enabled && env?.serve !== undefined ? compileServe(env.serve, flag.guards) : { variant: offVariant },
  };
  if (flag.expires !== undefined) compiled.expires = flag.expires;
  if (flag.metadata !== undefined) compiled.metadata = { ...flag.metadata };
  return compiled;
}

function compileRequirement(r: Requirement, refs: CompileRefs): CompiledRequirement {
  if (typeof r === 'string') return { flag: r, variant: refs.onVariantOf(r) ?? DEFAULT_ON_VARIANT };
  return { flag: r.flag, variant: r.variant ?? refs.onVariantOf(r.flag) ?? DEFAULT_ON_VARIANT };
}

/**
 * A rule's or a segment's conditions with the segments it names copied in, each under its name.
 * `seen` guards against a cycle that validation reports: such a segment matches nobody.
 */
function compileMatch(match: SegmentMatch, refs: CompileRefs, seen: readonly string[]): CompiledMatch {
  const out: CompiledMatch = {};
  if (match.users) out.users = [...match.users];
  if (match.groups) out.groups = [...match.groups];
  if (match.when) out.when = match.when.map((c) => ({ ...c }));
  const all: CompiledMatch[] = [];
  let any: CompiledMatch[] | undefined;
  if (Array.isArray(match.segments)) all.push(...match.segments.map((k) => segmentNode(k, refs, seen)));
  else if (match.segments) any = match.segments.any.map((k) => segmentNode(k, refs, seen));
  for (const item of match.all ?? []) all.push(compileMatch(item, refs, seen));
  if (match.any) {
    const items = match.any.map((item) => compileMatch(item, refs, seen));
    if (any) all.push({ any: items });
    else any = items;
  }
  if (all.length > 0) out.all = all;
  if (any) out.any = any;
  if (match.not) out.not = compileMatch(match.not, refs, seen);
  return out;
}

/** One segment as flags hold it: its conditions with the segments it names copied in. */
export const compileSegment = (key: string, refs: CompileRefs): CompiledMatch => segmentNode(key, refs, []);

function segmentNode(key: string, refs: CompileRefs, seen: readonly string[]): CompiledMatch {
  const segment = refs.segments.get(key);
  if (!segment || seen.includes(key)) return { segment: key, any: [] };
  return { segment: key, ...compileMatch(segment, refs, [...seen, key]) };
}

/** Whether a rule or segment uses nothing beyond users, groups and conditions (as format 1 said them). */
export const isPlainMatch = (m: Match & { all?: unknown; any?: unknown; not?: unknown }) =>
  m.segments === undefined && m.all === undefined && m.any === undefined && m.not === undefined;

/**
 * The lowest format that says what a compiled flag does: 1 unless it has match trees or
 * prerequisites (2), or guarded stages (3: a reader must honour the holds `flagops guard` sets).
 */
export function formatOf(flag: CompiledFlag): number {
  const serves = [flag.serve, ...flag.rules.map((r) => r.serve)];
  if (serves.some((s) => 'stages' in s && s.stages.some((stage) => stage.guards !== undefined))) return GUARDS_FORMAT;
  return flag.requires !== undefined || flag.rules.some((rule) => !isPlainMatch(rule as Match)) ? PREREQUISITES_FORMAT : BASE_FORMAT;
}

/** A rollout's stages carry their guards: the flag's own (every stage) first, then the stage's. */
function compileServe(serve: Serve, flagGuards: readonly GuardRef[] = []): CompiledServe {
  if (typeof serve === 'string') return { variant: serve };
  const stickiness = serve.stickiness ?? DEFAULT_STICKINESS;
  if ('split' in serve) return { split: Object.entries(serve.split), stickiness };
  const variant = serve.variant ?? DEFAULT_ON_VARIANT;
  if ('percentage' in serve) return { percentage: serve.percentage, variant, stickiness };
  const stages = serve.rollout.stages.map((s) => {
    const guards = [...flagGuards, ...(s.guards ?? [])].map(compileGuard);
    return { at: normaliseTime(s.at), percentage: s.percentage, ...(guards.length > 0 ? { guards } : {}) };
  });
  return { stages, variant, stickiness };
}

/** RFC 3339 with any offset → UTC ISO, so readers compare stage times as plain strings or numbers. */
const normaliseTime = (at: string) => new Date(at).toISOString();

/** Canonical JSON of a compiled flag: the bytes a store holds and the checksum covers. */
export const serializeFlag = (flag: CompiledFlag) => JSON.stringify(flag);

/** One checksum over all flags of an environment, independent of order: drift detection compares it. */
export function checksumOf(flags: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const key of [...flags.keys()].sort()) hash.update(key).update('\0').update(flags.get(key)!).update('\n');
  return hash.digest('hex');
}

export interface CompiledEnvironment {
  environment: string;
  /** key → canonical JSON, ready for a store. */
  flags: Map<string, string>;
  checksum: string;
  /** The compiled format these flags need: `_meta.format`. */
  format: number;
}

export function compileEnvironment(
  flags: ReadonlyArray<{ key: string; definition: FlagDocument }>,
  environment: string,
  segments: ReadonlyArray<{ key: string; definition: SegmentDocument }> = [],
): CompiledEnvironment {
  const refs = compileRefs(flags, segments);
  const out = new Map<string, string>();
  let format = BASE_FORMAT;
  for (const { key, definition } of [...flags].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const compiled = compileFlag(key, definition, environment, refs);
    format = Math.max(format, formatOf(compiled));
    out.set(key, serializeFlag(compiled));
  }
  return { environment, flags: out, checksum: checksumOf(out), format };
}
