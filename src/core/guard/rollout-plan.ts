import type { CompiledFlag, CompiledServe, CompiledStage } from '../serving/compiled.js';
import type { CompiledGuard } from '../definition/guard-thresholds.js';

/** One moment of a flag's rollout: the stages (of any of its staged serves) that begin at `at`. */
export interface TimelineStage {
  index: number;
  at: number;
  percentage: number;
  guards: CompiledGuard[];
}

/** A flag in a guarded rollout, as the store serves it now. */
export interface GuardedRollout {
  flag: string;
  /** The rollout's variant, compared against `control` (the offVariant, what everyone else gets). */
  variant: string;
  control: string;
  timeline: TimelineStage[];
  /** The last stage that has begun (-1: none yet), with the hold taken into account. */
  current: number;
  /** The guards to query now: the current stage's and the gate's. */
  watch: CompiledGuard[];
  /** The next stage, when guards must pass before it begins; `due` once its date has come. */
  gate?: TimelineStage & { due: boolean };
  /** The instant (ms) the store's hold stops stages at, if there is one. */
  hold?: number;
}

/** Two guards with the same metric and thresholds are one query and one outcome. */
export const guardId = (g: CompiledGuard) => JSON.stringify([g.metric, g.maxIncrease, g.maxRatio, g.max, g.window, g.minSamples]);

export function uniqueGuards(guards: readonly CompiledGuard[]): CompiledGuard[] {
  const seen = new Map<string, CompiledGuard>();
  for (const g of guards) if (!seen.has(guardId(g))) seen.set(guardId(g), g);
  return [...seen.values()];
}

const staged = (serve: CompiledServe | undefined): serve is Extract<CompiledServe, { stages: CompiledStage[] }> =>
  typeof serve === 'object' && serve !== null && 'stages' in serve && Array.isArray(serve.stages);

/**
 * The guarded rollout of a stored flag, or undefined when it has none to watch: no guarded stage,
 * disabled, killed, not begun with nothing to gate, or at its last stage with nothing left to gate
 * (at 100% there is no control group left to compare with).
 */
export function guardedRollout(flag: CompiledFlag, hold: number | undefined, now: number): GuardedRollout | undefined {
  const found = guardedTimeline(flag);
  if (!found) return undefined;
  const { timeline, variant } = found;
  const clock = hold !== undefined ? Math.min(now, hold - 1) : now;
  let current = -1;
  for (const s of timeline) if (s.at <= clock) current = s.index;
  const next = timeline[current + 1];
  // The first stage is never gated: before it nobody has the variant, so nothing can be measured.
  const gate = next && next.index > 0 && next.guards.length > 0 ? { ...next, due: now >= next.at } : undefined;
  const watch = uniqueGuards([...(current >= 0 ? timeline[current]!.guards : []), ...(gate?.guards ?? [])]);
  // Done: at its last stage, and that stage serves everyone (no control group is left to compare with).
  const finished = current === timeline.length - 1 && timeline[current]!.percentage >= 100;
  if ((watch.length === 0 || finished) && hold === undefined) return undefined;
  const control = flag.offVariant;
  return { flag: flag.key, variant, control, timeline, current, watch, ...(gate ? { gate } : {}), ...(hold !== undefined ? { hold } : {}) };
}

/**
 * A flag's rollout stages as one timeline (the stages of all its staged serves, by time), when
 * some stage has guards and the flag is enabled; with the variant the rollout serves.
 */
export function guardedTimeline(flag: CompiledFlag): { timeline: TimelineStage[]; variant: string } | undefined {
  if (!flag.enabled) return undefined;
  const serves = [flag.serve, ...(flag.rules ?? []).map((r) => r.serve)].filter(staged);
  const byTime = new Map<number, TimelineStage>();
  for (const serve of serves) {
    for (const stage of serve.stages) {
      const at = Date.parse(stage.at);
      if (Number.isNaN(at)) return undefined;
      const found = byTime.get(at) ?? { index: 0, at, percentage: 0, guards: [] };
      found.percentage = Math.max(found.percentage, stage.percentage);
      found.guards = uniqueGuards([...found.guards, ...(stage.guards ?? [])]);
      byTime.set(at, found);
    }
  }
  const timeline = [...byTime.values()].sort((a, b) => a.at - b.at).map((s, index) => ({ ...s, index }));
  if (!timeline.some((s) => s.guards.length > 0)) return undefined;
  return { timeline, variant: serves[0]!.variant };
}

export type RolloutAction =
  | { kind: 'kill'; breached: CompiledGuard[] }
  | { kind: 'hold'; at: number; waiting: CompiledGuard[] }
  | { kind: 'release'; next?: number }
  | { kind: 'none'; why: string };

/**
 * What to change, from each watched guard's outcome: a breach of any kills; a gate whose date has
 * come begins (the hold moves to the next gated stage, or goes) only when all its guards passed;
 * a gate ahead is held in advance, so no reader starts it on its date before the guard has looked.
 */
export function rolloutAction(r: GuardedRollout, outcomes: ReadonlyMap<string, 'hold' | 'pass' | 'breach'>): RolloutAction {
  const breached = r.watch.filter((g) => outcomes.get(guardId(g)) === 'breach');
  if (breached.length > 0) return { kind: 'kill', breached };
  if (!r.gate) return r.hold !== undefined ? { kind: 'release' } : { kind: 'none', why: 'no stage ahead waits for a guard' };
  const waiting = r.gate.guards.filter((g) => outcomes.get(guardId(g)) !== 'pass');
  if (r.gate.due && waiting.length === 0) {
    const following = r.timeline.find((s) => s.index > r.gate!.index && s.guards.length > 0);
    return following ? { kind: 'hold', at: following.at, waiting: following.guards } : { kind: 'release' };
  }
  if (r.hold === r.gate.at) return { kind: 'none', why: r.gate.due ? 'the next stage waits for its guards' : 'the next stage is not due yet; it is held until its guards pass' };
  return { kind: 'hold', at: r.gate.at, waiting: r.gate.guards };
}
