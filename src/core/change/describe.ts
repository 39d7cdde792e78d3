import { type GuardWords, guardNames } from '../definition/guard-thresholds.js';
import type { CompiledFlag, CompiledRule, CompiledServe, CompiledStage } from '../serving/compiled.js';
import { DEFAULT_STICKINESS } from '../definition/model.js';
import { describeMatch, segmentsIn, withoutSegmentBodies } from './segment-changes.js';

/**
 * "25% on", "control 50% / a 25% / b 25%", "rollout to on: 1% from 2026-11-20 09:00Z, 50% from
 * 2026-11-22 09:00Z only if error rate stays within +0.5% of control over 10m". The first stage's
 * guards only watch (nothing before it to measure), so only later stages say theirs.
 */
export function describeServe(serve: CompiledServe, words: GuardWords = guardNames): string {
  const by = 'stickiness' in serve && serve.stickiness !== DEFAULT_STICKINESS ? ` by ${serve.stickiness}` : '';
  if ('split' in serve) return `${serve.split.map(([v, w]) => `${v} ${w}%`).join(' / ')}${by}`;
  if ('stages' in serve) {
    const guarded = (s: CompiledStage, i: number) => (i > 0 && s.guards?.length ? ` only if ${s.guards.map(words).join(' and ')}` : '');
    const steps = serve.stages.map((s, i) => `${s.percentage}% from ${s.at.slice(0, 16).replace('T', ' ')}Z${guarded(s, i)}`);
    return `rollout to ${serve.variant}: ${steps.join(', ')}${by}`;
  }
  if ('percentage' in serve) return `${serve.percentage}% ${serve.variant}${by}`;
  return serve.variant;
}

const describeRequires = (requires: CompiledFlag['requires']) =>
  requires && requires.length > 0 ? requires.map((r) => `${r.flag} ${r.variant}`).join(', ') : 'nothing';

/** "2 rules, everyone else 25% on" — what an enabled flag serves, at a glance. */
function describeEnabled(flag: CompiledFlag, words?: GuardWords): string {
  const rules = flag.rules.length === 0 ? '' : `${flag.rules.length} rule${flag.rules.length === 1 ? '' : 's'}, everyone else `;
  const requires = flag.requires ? ` (requires ${describeRequires(flag.requires)})` : '';
  return `${rules}${rules ? '' : 'serves '}${describeServe(flag.serve, words)}${requires}`;
}

function describeRule(rule: CompiledRule, words?: GuardWords): string {
  const { serve, name: _name, ...match } = rule;
  return `${describeMatch(match)} → ${describeServe(serve, words)}`;
}

/** The segments whose conditions differ inside two versions of one rule. */
function changedSegments(before: CompiledRule, after: CompiledRule): string[] {
  const old = segmentsIn([before]);
  return [...segmentsIn([after])]
    .filter(([key, node]) => old.has(key) && !same(withoutSegmentBodies(old.get(key)!), withoutSegmentBodies(node)))
    .map(([key]) => key);
}

const describeMetadata = (metadata: CompiledFlag['metadata']) =>
  metadata && Object.keys(metadata).length > 0
    ? Object.entries(metadata)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(', ')
    : 'none';

const ruleName = (rule: CompiledRule, index: number) => (rule.name ? `rule "${rule.name}"` : `rule ${index + 1}`);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What a change does to users, in plain words, one line per aspect that changed. */
export function describeFlagChange(before: CompiledFlag | undefined, after: CompiledFlag | undefined, words?: GuardWords): string[] {
  if (!before && !after) return [];
  if (!before) return [after!.enabled ? `new flag: ${describeEnabled(after!, words)}` : 'new flag, disabled'];
  if (!after) return ['removed'];
  const lines: string[] = [];
  if (before.enabled !== after.enabled) {
    lines.push(after.enabled ? `turned on: ${describeEnabled(after, words)}` : `turned off: everyone gets ${after.offVariant}`);
  } else if (after.enabled && !same(before.serve, after.serve)) {
    lines.push(`everyone else: ${describeServe(before.serve, words)} → ${describeServe(after.serve, words)}`);
  }
  if (after.enabled && before.enabled) {
    lines.push(...describeRuleChanges(before.rules, after.rules, words));
    if (!same(before.requires ?? [], after.requires ?? [])) lines.push(`requires: ${describeRequires(before.requires)} → ${describeRequires(after.requires)}`);
  }
  for (const name of new Set([...Object.keys(before.variants), ...Object.keys(after.variants)])) {
    const had = Object.hasOwn(before.variants, name);
    const has = Object.hasOwn(after.variants, name);
    if (!had) lines.push(`variant "${name}" added: ${JSON.stringify(after.variants[name])}`);
    else if (!has) lines.push(`variant "${name}" removed`);
    else if (!same(before.variants[name], after.variants[name])) {
      lines.push(`variant "${name}": ${JSON.stringify(before.variants[name])} → ${JSON.stringify(after.variants[name])}`);
    }
  }
  if (before.offVariant !== after.offVariant) lines.push(`offVariant: ${before.offVariant} → ${after.offVariant}`);
  if (before.salt !== after.salt) lines.push('salt changed: every user is bucketed anew');
  if (before.type !== after.type) lines.push(`type: ${before.type} → ${after.type}`);
  if (before.expires !== after.expires) lines.push(`expires: ${before.expires ?? 'never'} → ${after.expires ?? 'never'}`);
  if (!same(before.metadata ?? {}, after.metadata ?? {})) lines.push(`metadata: ${describeMetadata(before.metadata)} → ${describeMetadata(after.metadata)}`);
  return lines;
}

function describeRuleChanges(before: CompiledRule[], after: CompiledRule[], words?: GuardWords): string[] {
  if (same(before, after)) return [];
  const lines: string[] = [];
  const named = (rules: CompiledRule[]) => new Map(rules.map((r, i) => [r.name ?? `#${i}`, r]));
  const old = named(before);
  const now = named(after);
  after.forEach((rule, i) => {
    const previous = old.get(rule.name ?? `#${i}`);
    if (!previous) lines.push(`new ${ruleName(rule, i)}: ${describeRule(rule, words)}`);
    else if (!same(previous, rule)) {
      // A rule that changes only through its segments says which: the segment change says how.
      const own = (r: CompiledRule) => withoutSegmentBodies(r);
      if (same(own(previous), own(rule))) lines.push(`${ruleName(rule, i)}: segment ${changedSegments(previous, rule).join(', ') || 'conditions'} changed`);
      else lines.push(`${ruleName(rule, i)}: ${describeRule(previous, words)} ⇒ ${describeRule(rule, words)}`);
    }
  });
  before.forEach((rule, i) => {
    if (!now.has(rule.name ?? `#${i}`)) lines.push(`${ruleName(rule, i)} removed`);
  });
  const order = (rules: CompiledRule[]) => rules.map((r, i) => r.name ?? `#${i}`).filter((n) => old.has(n) && now.has(n));
  if (!same(order(before), order(after))) lines.push('rules reordered (the first match wins)');
  return lines;
}

/** Off for everyone, one value for everyone, or depends on who asks (rules, percentages, splits). */
export type ServeState = 'off' | 'on' | 'partial';

/** The share a rollout serves at `now`: the last stage reached, 0 before the first. */
export function stageNow(stages: ReadonlyArray<{ at: string; percentage: number }>, now: number): number {
  let share = 0;
  for (const stage of stages) if (Date.parse(stage.at) <= now) share = stage.percentage;
  return share;
}

function serveNow(serve: CompiledServe, now: number): string {
  if (!('stages' in serve)) return describeServe(serve);
  const next = serve.stages.find((s) => Date.parse(s.at) > now);
  const by = serve.stickiness !== DEFAULT_STICKINESS ? ` by ${serve.stickiness}` : '';
  const upcoming = next ? ` (${next.percentage}% from ${next.at.slice(0, 10)})` : '';
  return `${stageNow(serve.stages, now)}% ${serve.variant} now${upcoming}${by}`;
}

/**
 * What one environment serves, in plain words, at `now` ("off", "on for everyone", "3 rules,
 * everyone else 25% on now (100% from 2026-12-01)"), with its rules one line each.
 */
export function describeEnvironment(flag: CompiledFlag, now: number): { state: ServeState; words: string; rules: string[] } {
  const requires = flag.requires && flag.requires.length > 0 ? ` (requires ${describeRequires(flag.requires)})` : '';
  const rules = flag.rules.map(({ name, serve, ...match }) => `${name ? `${name}: ` : ''}${describeMatch(withoutSegmentBodies(match))} → ${serveNow(serve, now)}`);
  if (!flag.enabled) return { state: 'off', words: flag.offVariant === 'off' ? 'off' : `off (serves ${flag.offVariant})`, rules };
  const single = 'variant' in flag.serve && !('percentage' in flag.serve) && !('stages' in flag.serve);
  if (flag.rules.length === 0 && single) {
    const variant = (flag.serve as { variant: string }).variant;
    return { state: variant === flag.offVariant ? 'off' : 'on', words: `${variant} for everyone${requires}`, rules };
  }
  const head = flag.rules.length === 0 ? '' : `${flag.rules.length} rule${flag.rules.length === 1 ? '' : 's'}, everyone else `;
  return { state: 'partial', words: `${head}${serveNow(flag.serve, now)}${requires}`, rules };
}
