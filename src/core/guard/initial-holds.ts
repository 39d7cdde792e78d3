import type { CompiledFlag } from '../serving/compiled.js';
import { guardedTimeline } from './rollout-plan.js';

export interface InitialHold {
  hold: string;
  guard: string;
  reason: string;
}

function parse(json: string | undefined): CompiledFlag | undefined {
  if (json === undefined) return undefined;
  try {
    const flag = JSON.parse(json) as CompiledFlag;
    return typeof flag === 'object' && flag !== null ? flag : undefined;
  } catch {
    return undefined;
  }
}

/** The share the stored flag serves now through its rollout stages (0 when it has none, or none begun). */
function servedShare(flag: CompiledFlag | undefined, now: number): number {
  if (!flag?.enabled) return 0;
  let share = 0;
  for (const serve of [flag.serve, ...(flag.rules ?? []).map((r) => r.serve)]) {
    if (typeof serve !== 'object' || serve === null || !('stages' in serve)) continue;
    for (const stage of serve.stages) if (Date.parse(stage.at) <= now) share = Math.max(share, stage.percentage);
  }
  return share;
}

/**
 * The holds a sync writes with the flags, in the same transaction: a sync never moves a guarded
 * rollout past a gate it was not past already. For each flag written whose rollout has a guarded
 * stage above what the store served it at until now, a hold before the first such stage, whether
 * its date has come (a new flag whose stages lie in the past) or not (so no reader starts it on its
 * date before `flagops guard` has looked). Flags with an override already (a kill, a hold) keep it.
 */
export function initialHolds(
  upserts: ReadonlyMap<string, string>,
  live: ReadonlyMap<string, string>,
  overridden: { has(flag: string): boolean },
  now: number,
): Map<string, InitialHold> {
  const holds = new Map<string, InitialHold>();
  for (const [key, json] of upserts) {
    if (overridden.has(key)) continue;
    const flag = parse(json);
    if (!flag) continue;
    const rollout = guardedTimeline({ ...flag, key });
    if (!rollout) continue;
    const before = servedShare(parse(live.get(key)), now);
    const gate = rollout.timeline.find((s) => s.index > 0 && s.guards.length > 0 && s.percentage > before);
    if (!gate) continue;
    const metrics = [...new Set(gate.guards.map((g) => g.metric))].join(', ');
    holds.set(key, {
      hold: new Date(gate.at).toISOString(),
      guard: metrics,
      reason: `stage ${gate.index + 1} (${gate.percentage}%) begins only once its guards pass (${metrics})${gate.at <= now ? '; its date has come, and flagops guard has not yet looked' : ''}`,
    });
  }
  return holds;
}
