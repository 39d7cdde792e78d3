import type { CompiledFlag, CompiledRequirement, CompiledRule, CompiledServe } from '../compiled.js';
import type { FlagType, JsonValue, Scalar } from '../../definition/model.js';
import { bucketWithPrefix, saltPrefix } from './bucketing.js';
import { matchTest } from './match.js';
import type { Test } from './operators.js';
import type { EvaluationContext, Reason, Resolution } from './result.js';

/**
 * A compiled flag turned into a function of (context, time), once per snapshot: sets for
 * allowlists, conditions as closures, weights in hundredths, the salt's bytes, and one frozen
 * Resolution per possible outcome, so an evaluation allocates nothing.
 */
export interface PreparedFlag {
  readonly key: string;
  readonly type: FlagType;
  readonly variants: Readonly<Record<string, JsonValue>>;
  readonly offVariant: string;
  readonly enabled: boolean;
  readonly expires?: string;
  /** The flag file's metadata: strings, numbers and booleans (anything else stored is left out). */
  readonly metadata?: Readonly<Record<string, Scalar>>;
  /** The flags this one needs, in order (present only when it has prerequisites). */
  readonly requires?: readonly CompiledRequirement[];
  /** The instants (ms) at which what it serves may change by itself: its rollout stages. Absent: never. */
  readonly changesAt?: readonly number[];
  /** The bytes of `<salt>:` its bucketing hashes, when it may bucket (percentages, splits, stages): see bucketNext. */
  readonly bucketPrefix?: Uint8Array;
  /** Some rollout stage of it has guards: outcomes that name no flag count for it (OpenFeature track). */
  readonly guarded?: true;
  /** `now` is only called by flags with stages: most evaluations never read the clock. */
  evaluate(context: EvaluationContext, now: Clock): Resolution;
}

/**
 * How a flag with prerequisites finds them: the snapshot it belongs to, complete before the first
 * evaluation. The snapshot turns every flag on a prerequisite cycle into a BrokenFlag, so following
 * prerequisites always ends.
 */
export interface FlagLinks {
  get(key: string): PreparedFlag | BrokenFlag | undefined;
}

const NO_LINKS: FlagLinks = { get: () => undefined };

/** A stored flag that could not be read: it serves the caller's default with PARSE_ERROR. */
export interface BrokenFlag {
  readonly key: string;
  readonly error: string;
}

export type Clock = () => number;
type Pick = (context: EvaluationContext, now: Clock) => Resolution;

/**
 * What the flags evaluated so far in the evaluation under way (one context, one instant) gave:
 * each prerequisite is evaluated once, so a chain or a lattice of prerequisites costs time in
 * proportion to its flags, not to its paths. It lives for one synchronous evaluation only: a
 * context object changed between two calls is never answered from it.
 */
let memo: Map<PreparedFlag, Resolution> | undefined;

/**
 * Runs `fn` with one memo of prerequisite results for all its evaluations: for readers that evaluate
 * many flags of one snapshot for one context at one instant (a bulk OFREP answer).
 */
export function withPrerequisiteMemo<T>(fn: () => T): T {
  if (memo !== undefined) return fn();
  memo = new Map();
  try {
    return fn();
  } finally {
    memo = undefined;
  }
}

class Malformed extends Error {}

function need(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Malformed(what);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPercentage = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 100;

/** The stickiness value as text: a non-empty string, or a finite number. */
function asStickiness(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Reads the stickiness attribute; `userId`, nearly always the one, as a plain property read the engine caches. */
const stickinessReader = (attribute: string): ((context: EvaluationContext) => string | undefined) =>
  attribute === 'userId' ? (context) => asStickiness(context.userId) : (context) => asStickiness(context[attribute]);

/** Parses stored JSON into a prepared flag, or says why it cannot be used. Never throws. */
export function parseStoredFlag(key: string, json: string, links: FlagLinks = NO_LINKS): PreparedFlag | BrokenFlag {
  try {
    return prepareFlag(JSON.parse(json) as CompiledFlag, key, links);
  } catch (error) {
    return { key, error: error instanceof SyntaxError ? `not valid JSON (${error.message})` : (error as Error).message };
  }
}

export const isBroken = (flag: PreparedFlag | BrokenFlag): flag is BrokenFlag => 'error' in flag;

export function prepareFlag(flag: CompiledFlag, key = flag.key, links: FlagLinks = NO_LINKS): PreparedFlag {
  need(isRecord(flag), 'the stored value is not an object');
  need(isRecord(flag.variants) && Object.keys(flag.variants).length > 0, '"variants" is missing or empty');
  const variants = flag.variants;
  const has = (variant: unknown): variant is string => typeof variant === 'string' && Object.hasOwn(variants, variant);
  need(has(flag.offVariant), `"offVariant" does not name one of the variants`);
  need(typeof flag.enabled === 'boolean', '"enabled" is not true or false');
  need(Array.isArray(flag.rules ?? []), '"rules" is not a list');
  const salt = typeof flag.salt === 'string' ? flag.salt : key;
  const off = flag.offVariant;
  const changesAt: number[] = [];
  let guarded = false;
  // One prefix object per flag, whichever serve buckets: bucketNext recognises it by identity.
  let prefix: Uint8Array | undefined;

  const results = new Map<string, Resolution>();
  const result = (variant: string, reason: Reason, rule?: string, message?: string, prerequisite?: string): Resolution => {
    const id = `${variant}\0${reason}\0${rule ?? ''}\0${message ?? ''}\0${prerequisite ?? ''}`;
    let r = results.get(id);
    if (!r) {
      r = Object.freeze({
        value: variants[variant]!,
        variant,
        reason,
        ...(rule !== undefined ? { rule } : {}),
        ...(message !== undefined ? { message } : {}),
        ...(prerequisite !== undefined ? { prerequisite } : {}),
      });
      results.set(id, r);
    }
    return r;
  };

  // OpenFeature's STATIC means no dynamic evaluation happened: when rules were tried and none
  // matched, the plain serve behind them is a DEFAULT.
  const plainReason: Reason = Array.isArray(flag.rules) && flag.rules.length > 0 ? 'DEFAULT' : 'STATIC';
  const serveOf = (serve: CompiledServe, rule: string | undefined): Pick => {
    need(isRecord(serve), '"serve" is not an object');
    const matchReason: Reason = rule !== undefined ? 'TARGETING_MATCH' : 'SPLIT';
    if ('variant' in serve && !('percentage' in serve) && !('stages' in serve)) {
      need(has(serve.variant), `serves "${String(serve.variant)}", which is not a variant`);
      const r = result(serve.variant, rule !== undefined ? 'TARGETING_MATCH' : plainReason, rule);
      return () => r;
    }
    const stickiness = typeof serve.stickiness === 'string' ? serve.stickiness : 'userId';
    const stickinessOf = stickinessReader(stickiness);
    const bytes = (prefix ??= saltPrefix(salt));
    const missing = result(off, 'DEFAULT', rule, `no "${stickiness}" in the context to bucket by; served the offVariant`);
    if ('split' in serve) {
      need(Array.isArray(serve.split) && serve.split.length > 0, '"split" is not a list of [variant, weight]');
      const names: string[] = [];
      const bounds: number[] = [];
      let total = 0;
      for (const entry of serve.split) {
        need(Array.isArray(entry) && has(entry[0]) && isPercentage(entry[1]), 'a split entry is not [variant, weight]');
        total += Math.round(entry[1] * 100);
        names.push(entry[0]);
        bounds.push(total);
      }
      need(total === 10_000, `the split weights add up to ${total / 100}, not 100`);
      const picks = names.map((name) => result(name, matchReason, rule));
      return (context) => {
        const value = stickinessOf(context);
        if (value === undefined) return missing;
        const h = bucketWithPrefix(bytes, value);
        for (let i = 0; i < bounds.length; i++) if (h < bounds[i]!) return picks[i]!;
        return picks[picks.length - 1]!;
      };
    }
    need(has(serve.variant), `serves "${String(serve.variant)}", which is not a variant`);
    const on = result(serve.variant, matchReason, rule);
    const rest = result(off, matchReason, rule);
    const bucketed = (threshold: number): Pick => {
      if (threshold <= 0) return () => rest;
      if (threshold >= 10_000) return () => on;
      return (context) => {
        const value = stickinessOf(context);
        if (value === undefined) return missing;
        return bucketWithPrefix(bytes, value) < threshold ? on : rest;
      };
    };
    if ('percentage' in serve) {
      need(isPercentage(serve.percentage), '"percentage" is not a number from 0 to 100');
      return bucketed(Math.round(serve.percentage * 100));
    }
    need('stages' in serve && Array.isArray(serve.stages) && serve.stages.length > 0, '"serve" has no variant, percentage, split or stages');
    const times: number[] = [];
    const steps: Pick[] = [];
    for (const stage of serve.stages) {
      const at = typeof stage?.at === 'string' ? Date.parse(stage.at) : NaN;
      need(!Number.isNaN(at) && isPercentage(stage.percentage), 'a stage is not { at: time, percentage }');
      times.push(at);
      changesAt.push(at);
      if (Array.isArray((stage as { guards?: unknown }).guards)) guarded = true;
      steps.push(bucketed(Math.round(stage.percentage * 100)));
    }
    const before = bucketed(0);
    // Stages are few and sorted: the last one whose time has come decides.
    return (context, clock) => {
      const now = clock();
      for (let i = times.length - 1; i >= 0; i--) if (now >= times[i]!) return steps[i]!(context, clock);
      return before(context, clock);
    };
  };

  const disabled = result(off, 'DISABLED');
  if (!flag.enabled) {
    return freeze(flag, key, () => disabled);
  }
  const rules = (flag.rules ?? []).map((rule: CompiledRule, i) => {
    need(isRecord(rule), `rule ${i + 1} is not an object`);
    const name = typeof rule.name === 'string' ? rule.name : `#${i + 1}`;
    return { test: ruleTest(rule, name), serve: serveOf(rule.serve, name) };
  });
  const fallthrough = serveOf(flag.serve, undefined);
  const targeted: Pick =
    rules.length === 0
      ? fallthrough
      : (context, now) => {
          for (let i = 0; i < rules.length; i++) if (rules[i]!.test(context)) return rules[i]!.serve(context, now);
          return fallthrough(context, now);
        };
  if (flag.requires === undefined) return freeze(flag, key, targeted, undefined, changesAt, prefix, guarded);
  need(Array.isArray(flag.requires), '"requires" is not a list');
  const requires = flag.requires.map((r, i) => {
    need(isRecord(r) && typeof r.flag === 'string' && typeof r.variant === 'string', `prerequisite ${i + 1} is not { flag, variant }`);
    const failed = result(off, 'PREREQUISITE_FAILED', undefined, undefined, r.flag);
    // Found on first use and kept: the snapshot's map does not change once it is built.
    let target: PreparedFlag | undefined;
    const met = (context: EvaluationContext, now: Clock): boolean => {
      if (target === undefined) {
        const found = links.get(r.flag);
        if (found === undefined || isBroken(found)) return false;
        target = found;
      }
      let got = memo!.get(target);
      if (got === undefined) memo!.set(target, (got = target.evaluate(context, now)));
      return got.variant === r.variant;
    };
    return { flag: r.flag, variant: r.variant, failed, met };
  });
  const first = requires[0]!;
  const gated: Pick =
    requires.length === 1
      ? (context, now) => (first.met(context, now) ? targeted(context, now) : first.failed)
      : (context, now) => {
          for (let i = 0; i < requires.length; i++) if (!requires[i]!.met(context, now)) return requires[i]!.failed;
          return targeted(context, now);
        };
  /**
   * Evaluates every prerequisite below this flag into the memo, deepest first, with a stack of its
   * own: a chain thousands of flags deep would overflow the call stack if each evaluation called
   * the next. Then each flag's own check finds its prerequisites answered.
   */
  const settle = (context: EvaluationContext, now: Clock) => {
    const answered = memo!;
    // On the stack now: a killed flag keeps its prerequisites listed, and two killed flags may list each other.
    const open = new Set<PreparedFlag>();
    const stack: PreparedFlag[] = [];
    const push = (needs: readonly CompiledRequirement[]) => {
      let pushed = false;
      for (const r of needs) {
        const found = links.get(r.flag);
        if (found === undefined || isBroken(found) || answered.has(found) || open.has(found)) continue;
        open.add(found);
        stack.push(found);
        pushed = true;
      }
      return pushed;
    };
    push(requires);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (!answered.has(top) && push(top.requires ?? [])) continue;
      stack.pop();
      open.delete(top);
      if (!answered.has(top)) answered.set(top, top.evaluate(context, now));
    }
  };
  const checked: Pick = (context, now) => {
    settle(context, now);
    return gated(context, now);
  };
  const evaluate: Pick = (context, now) => (memo !== undefined ? checked(context, now) : withPrerequisiteMemo(() => checked(context, now)));
  return freeze(
    flag,
    key,
    evaluate,
    requires.map(({ flag, variant }) => Object.freeze({ flag, variant })),
    changesAt,
    prefix,
    guarded,
  );
}

function ruleTest(rule: CompiledRule, name: string): Test {
  try {
    const test = matchTest(rule);
    need(test !== undefined, `rule ${name} states no users, groups or conditions`);
    return test;
  } catch (error) {
    if (error instanceof Malformed) throw error;
    throw new Malformed(`rule ${name}: ${(error as Error).message}`);
  }
}

function freeze(
  flag: CompiledFlag,
  key: string,
  evaluate: Pick,
  requires?: readonly CompiledRequirement[],
  changesAt: number[] = [],
  bucketPrefix?: Uint8Array,
  guarded = false,
): PreparedFlag {
  return Object.freeze({
    key,
    type: flag.type,
    variants: flag.variants,
    offVariant: flag.offVariant,
    enabled: flag.enabled,
    ...(typeof flag.expires === 'string' ? { expires: flag.expires } : {}),
    ...(isRecord(flag.metadata) ? { metadata: scalarsOf(flag.metadata) } : {}),
    ...(requires ? { requires: Object.freeze(requires) } : {}),
    ...(changesAt.length > 0 ? { changesAt: Object.freeze(changesAt) } : {}),
    ...(bucketPrefix !== undefined ? { bucketPrefix } : {}),
    ...(guarded ? { guarded: true as const } : {}),
    evaluate,
  });
}

/** Metadata is informative: a value of another kind is dropped, never a reason to refuse the flag. */
function scalarsOf(metadata: Record<string, unknown>): Readonly<Record<string, Scalar>> {
  const out: Record<string, Scalar> = {};
  for (const [name, value] of Object.entries(metadata)) {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out[name] = value;
  }
  return Object.freeze(out);
}

/** A flag under an emergency override: the override's variant for everyone (DISABLED when it is the offVariant). */
export function overridden(flag: PreparedFlag, variant: string): PreparedFlag {
  if (!Object.hasOwn(flag.variants, variant)) return flag;
  const r: Resolution = Object.freeze({
    value: flag.variants[variant]!,
    variant,
    reason: variant === flag.offVariant ? 'DISABLED' : 'STATIC',
    override: true,
  });
  // Killed, it serves the same at any time and to everyone: no rollout stage changes it, no bucket
  // decides it, and no prerequisite is looked at.
  const { changesAt: _stages, bucketPrefix: _buckets, requires: _needs, ...served } = flag;
  return Object.freeze({ ...served, evaluate: () => r });
}

/**
 * A flag whose rollout a guard holds: its stages are evaluated as if the clock stood just before
 * `hold` (ms), so a stage from then on does not begin, and users keep what the stage before gave
 * them (bucketing is unchanged). Everything else (rules, prerequisites) is as it was.
 */
export function held(flag: PreparedFlag, hold: number): PreparedFlag {
  const { evaluate } = flag;
  const changesAt = (flag.changesAt ?? []).filter((at) => at < hold);
  const { changesAt: _stages, ...rest } = flag;
  return Object.freeze({
    ...rest,
    ...(changesAt.length > 0 ? { changesAt: Object.freeze(changesAt) } : {}),
    evaluate: (context: EvaluationContext, now: Clock) => evaluate(context, () => Math.min(now(), hold - 1)),
  });
}
