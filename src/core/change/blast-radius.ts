import type { CompiledFlag, CompiledRule, CompiledServe } from '../serving/compiled.js';
import { prepareFlag } from '../serving/evaluate/prepare.js';
import type { EvaluationContext } from '../serving/evaluate/result.js';
import { describeServe, stageNow } from './describe.js';

/** How many users a change moves to another variant, in one environment. */
export interface BlastRadius {
  /** Share of users, 0–100, whose served variant changes. */
  share: number;
  /** Computed from the bucket ranges (exact), or counted on a population (estimated). */
  exact: boolean;
  /** Whom the share is of: every user, users no rule matches, or the population it was counted on. */
  of: string;
  /** The moves, largest first: `from` → `to` and the share of users making it. */
  moves: Array<{ from: string; to: string; share: number }>;
  /** What decided for the users who move, at head (estimates only): rule name or "everyone else" → share. */
  byRule?: Array<{ rule: string; share: number }>;
  /** Allowlisted users and groups added or removed, per rule; "no change" for allowlists that stay. */
  allowlists: string[];
  /** Why, in a few words: "percentage 5% → 25%". */
  because: string;
}

/** A serve as bucket ranges in hundredths of a percent, [from, to) → variant. */
type Ranges = Array<[from: number, to: number, variant: string]>;

const SCALE = 10_000;

function rangesOf(serve: CompiledServe, offVariant: string, now: number): Ranges {
  const pct = (percentage: number, variant: string): Ranges => {
    const edge = Math.round(percentage * 100);
    return [
      [0, edge, variant],
      [edge, SCALE, offVariant],
    ];
  };
  if ('split' in serve) {
    const out: Ranges = [];
    let at = 0;
    for (const [variant, weight] of serve.split) {
      const end = at + Math.round(weight * 100);
      out.push([at, end, variant]);
      at = end;
    }
    return out;
  }
  if ('stages' in serve) {
    return pct(stageNow(serve.stages, now), serve.variant);
  }
  if ('percentage' in serve) return pct(serve.percentage, serve.variant);
  return [[0, SCALE, serve.variant]];
}

const bucketing = (serve: CompiledServe) => ('stickiness' in serve ? serve.stickiness : undefined);

/** The share of each variant in a set of ranges. */
function shares(ranges: Ranges): Map<string, number> {
  const out = new Map<string, number>();
  for (const [from, to, variant] of ranges) out.set(variant, (out.get(variant) ?? 0) + (to - from) / 100);
  return out;
}

function addMove(moves: Map<string, number>, from: string, to: string, share: number) {
  if (from === to || share <= 0) return;
  const id = `${from}\0${to}`;
  moves.set(id, (moves.get(id) ?? 0) + share);
}

/** Moves between two fallthrough serves, exactly: overlapping ranges when users keep their bucket. */
function exactMoves(a: CompiledFlag, b: CompiledFlag, now: number): { moves: Map<string, number>; rebucketed: boolean } {
  const ra = rangesOf(a.serve, a.offVariant, now);
  const rb = rangesOf(b.serve, b.offVariant, now);
  const moves = new Map<string, number>();
  const sa = bucketing(a.serve);
  const sb = bucketing(b.serve);
  // Users keep their position when the salt and the stickiness stay (or when one side buckets nobody).
  const independent = sa !== undefined && sb !== undefined && (a.salt !== b.salt || sa !== sb);
  if (independent) {
    for (const [va, pa] of shares(ra)) for (const [vb, pb] of shares(rb)) addMove(moves, va, vb, (pa * pb) / 100);
    return { moves, rebucketed: true };
  }
  for (const [fa, ta, va] of ra) {
    for (const [fb, tb, vb] of rb) {
      const overlap = Math.min(ta, tb) - Math.max(fa, fb);
      if (overlap > 0) addMove(moves, va, vb, overlap / 100);
    }
  }
  return { moves, rebucketed: false };
}

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** "percentage 5% → 25%", "on → 25% on", "turned on", "rules changed". */
function because(a: CompiledFlag, b: CompiledFlag, rulesChanged: boolean): string {
  if (a.enabled !== b.enabled) return b.enabled ? `turned on: ${describeServe(b.serve)}` : `turned off: everyone gets ${b.offVariant}`;
  const parts: string[] = [];
  if (!same(a.serve, b.serve)) {
    const [x, y] = [a.serve, b.serve];
    if ('percentage' in x && 'percentage' in y && x.variant === y.variant) parts.push(`percentage ${x.percentage}% → ${y.percentage}%`);
    else parts.push(`${describeServe(x)} → ${describeServe(y)}`);
  }
  if (a.salt !== b.salt) parts.push('new salt');
  if (rulesChanged) parts.push('rules changed');
  // Prerequisites are other flags: their users are not counted here (diff names the flags they require).
  if (!same(a.requires ?? [], b.requires ?? [])) parts.push('prerequisites changed, not counted');
  return parts.join('; ') || 'no change to who gets what';
}

/** Users and groups added to or removed from each rule's allowlists (by rule name or position). */
function allowlistChanges(a: CompiledRule[], b: CompiledRule[]): string[] {
  const name = (r: CompiledRule, i: number) => r.name ?? `#${i + 1}`;
  const before = new Map(a.map((r, i) => [name(r, i), r]));
  const lines: string[] = [];
  b.forEach((rule, i) => {
    const old = before.get(name(rule, i));
    if (!rule.users && !rule.groups && !old?.users && !old?.groups) return;
    const diff = (word: string, was: readonly string[] = [], now: readonly string[] = []) => {
      const added = now.filter((x) => !was.includes(x));
      const removed = was.filter((x) => !now.includes(x));
      return [...(added.length > 0 ? [`+ ${word} ${added.join(', ')}`] : []), ...(removed.length > 0 ? [`- ${word} ${removed.join(', ')}`] : [])];
    };
    const changes = [...diff('users', old?.users, rule.users), ...diff('groups', old?.groups, rule.groups)];
    const label = `rule "${name(rule, i)}"${rule.groups ? ` (groups ${rule.groups.join(', ')})` : ''}`;
    lines.push(`${label}: ${changes.length > 0 ? changes.join('; ') : 'no change'}`);
  });
  return lines;
}

const sortMoves = (moves: Map<string, number>) =>
  [...moves]
    .map(([id, share]) => {
      const [from, to] = id.split('\0') as [string, string];
      return { from, to, share: Math.round(share * 1000) / 1000 };
    })
    .sort((x, y) => y.share - x.share || (x.from < y.from ? -1 : x.from > y.from ? 1 : 0));

/** The contexts an estimate is counted on, and how the output names them. */
export interface Population {
  contexts: readonly EvaluationContext[];
  name: string;
}

/** Generated ids for an estimate when no population is given: users with an id and nothing else. */
export function generatedPopulation(size: number): Population {
  return { contexts: Array.from({ length: size }, (_, i) => ({ userId: `user-${i}` })), name: `${size.toLocaleString('en')} generated ids` };
}

/**
 * The share of users whose variant changes between two versions of a flag in one environment, at
 * `now`. Given a population (real contexts), it is counted on it: both versions evaluated for each
 * context, prerequisites left out (they are other flags' business). Without one, it is exact when
 * the rules (and prerequisites) stay the same: the fallthrough's bucket ranges are compared (users
 * keep their bucket unless the salt or stickiness changes; then the shares are independent);
 * otherwise counted on `generated` ids. Pure.
 */
export function blastRadius(
  before: CompiledFlag,
  after: CompiledFlag,
  now: number,
  population?: Population,
  generated: () => Population = () => generatedPopulation(100_000),
): BlastRadius {
  const rulesChanged = !same(before.rules, after.rules);
  const allowlists = allowlistChanges(before.rules, after.rules);
  const why = because(before, after, rulesChanged);
  const sameRequires = same(before.requires ?? [], after.requires ?? []);
  if (!population && !rulesChanged && sameRequires) {
    const { moves } = exactMoves(before, after, now);
    const list = sortMoves(moves);
    const share = Math.round(list.reduce((sum, m) => sum + m.share, 0) * 1000) / 1000;
    return { share, exact: true, of: after.rules.length > 0 ? 'users that no rule matches' : 'users', moves: list, allowlists, because: why };
  }
  const strip = (flag: CompiledFlag): CompiledFlag => {
    const { requires: _requires, ...rest } = flag;
    return rest;
  };
  const counted = population ?? generated();
  const a = prepareFlag(strip(before));
  const b = prepareFlag(strip(after));
  const clock = () => now;
  const moves = new Map<string, number>();
  const rules = new Map<string, number>();
  let changed = 0;
  for (const context of counted.contexts) {
    const ra = a.evaluate(context, clock);
    const rb = b.evaluate(context, clock);
    if (ra.variant === rb.variant) continue;
    changed++;
    addMove(moves, ra.variant, rb.variant, 1);
    const rule = rb.rule ?? 'everyone else';
    rules.set(rule, (rules.get(rule) ?? 0) + 1);
  }
  const n = Math.max(1, counted.contexts.length);
  const percent = (count: number) => Math.round((count / n) * 100_000) / 1000;
  return {
    share: percent(changed),
    exact: false,
    of: counted.name,
    moves: sortMoves(new Map([...moves].map(([id, count]) => [id, percent(count)]))),
    byRule: [...rules].map(([rule, count]) => ({ rule, share: percent(count) })).sort((x, y) => y.share - x.share),
    allowlists,
    because: why,
  };
}

/** "20.0% of users change from off to on (percentage 5% → 25%)". */
export function describeBlastRadius(blast: BlastRadius): string {
  const pct = (n: number) => `${n.toFixed(1)}%`;
  if (blast.share === 0) return blast.exact ? `no user changes variant (${blast.because})` : `no user of ${blast.of} changes variant (${blast.because})`;
  const moves = blast.moves.map((m) => (blast.moves.length === 1 ? `from ${m.from} to ${m.to}` : `${pct(m.share)} ${m.from} → ${m.to}`)).join(', ');
  const of = blast.exact ? `of ${blast.of}` : `of ${blast.of} (estimated)`;
  const head = `${pct(blast.share)} ${of} change${blast.moves.length === 1 ? ` ${moves}` : `: ${moves}`} (${blast.because})`;
  const rules = blast.byRule && blast.byRule.length > 0 ? `; by rule: ${blast.byRule.map((r) => `${r.rule} ${pct(r.share)}`).join(', ')}` : '';
  return `${head}${rules}`;
}
