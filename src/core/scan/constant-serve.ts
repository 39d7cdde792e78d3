import type { CompiledFlag, CompiledServe } from '../compiled.js';

/** What an environment serves when everyone gets the same variant, and since when that holds. */
export interface ConstantServe {
  variant: string;
  /** The moment a rollout schedule reached 0% or 100%; undefined when it always held. */
  since?: string;
}

/**
 * Whether a flag serves one variant to every user of one environment at `now`. A pending rollout
 * stage means it will change, so it is not constant.
 */
export function constantServe(flag: CompiledFlag, now: number): ConstantServe | undefined {
  if (!flag.enabled) return { variant: flag.offVariant };
  const fallthrough = serveConstant(flag.serve, flag.offVariant, now);
  if (!fallthrough) return undefined;
  // An unmet prerequisite serves the offVariant: with one, only an offVariant for all is constant.
  if (flag.requires && fallthrough.variant !== flag.offVariant) return undefined;
  let since = fallthrough.since;
  for (const rule of flag.rules) {
    const served = serveConstant(rule.serve, flag.offVariant, now);
    if (!served || served.variant !== fallthrough.variant) return undefined;
    if (served.since && (!since || served.since > since)) since = served.since;
  }
  return { variant: fallthrough.variant, ...(since ? { since } : {}) };
}

function serveConstant(serve: CompiledServe, offVariant: string, now: number): ConstantServe | undefined {
  if ('split' in serve) {
    const served = serve.split.filter(([, weight]) => weight > 0);
    return served.length === 1 ? { variant: served[0]![0] } : undefined;
  }
  if ('percentage' in serve) return whole(serve.percentage, serve.variant, offVariant);
  if ('stages' in serve) {
    let current: { at: string; percentage: number } | undefined;
    for (const stage of serve.stages) {
      if (Date.parse(stage.at) > now) return undefined;
      if (!current || stage.at >= current.at) current = stage;
    }
    if (!current) return undefined;
    const served = whole(current.percentage, serve.variant, offVariant);
    return served && { ...served, since: current.at };
  }
  return { variant: serve.variant };
}

function whole(percentage: number, variant: string, offVariant: string): ConstantServe | undefined {
  if (percentage >= 100) return { variant };
  if (percentage <= 0) return { variant: offVariant };
  return undefined;
}
