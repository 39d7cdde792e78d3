import { compileGuard, resolveGuard } from '../../guard-thresholds.js';
import { didYouMean } from '../../../shared/suggest.js';
import type { PathSegment } from '../../load/source-map.js';
import type { FlagDocument, GuardRef, GuardSpec } from '../../model.js';
import type { FlagRule, RuleContext } from '../rule.js';
import { serveSites } from '../walk.js';

interface GuardSite {
  guard: GuardRef;
  path: PathSegment[];
}

/** Every guard in the flag, with its path: the flag's own, then each stage's. */
function guardSites(flag: FlagDocument): { own: GuardSite[]; staged: Array<GuardSite & { stage: number }> } {
  const own = (flag.guards ?? []).map((guard, i) => ({ guard, path: ['guards', i] }));
  const staged: Array<GuardSite & { stage: number }> = [];
  for (const { serve, path } of serveSites(flag)) {
    if (typeof serve === 'string' || !('rollout' in serve)) continue;
    serve.rollout.stages.forEach((stage, s) =>
      (stage.guards ?? []).forEach((guard, i) => staged.push({ guard, stage: s, path: [...path, 'rollout', 'stages', s, 'guards', i] })),
    );
  }
  return { own, staged };
}

const metricPath = (site: GuardSite): PathSegment[] => (typeof site.guard === 'string' ? site.path : [...site.path, 'metric']);
const fieldPath = (site: GuardSite, field: string): PathSegment[] => (typeof site.guard === 'string' ? site.path : [...site.path, field]);

function checkGuard(site: GuardSite, ctx: RuleContext): void {
  const metrics = ctx.config.metrics;
  const compiled = compileGuard(site.guard);
  const definition = metrics.definitions[compiled.metric];
  const names = Object.keys(metrics.definitions);
  if (!definition) {
    const near = didYouMean(compiled.metric, names);
    ctx.report(metricPath(site), `The guard names metric "${compiled.metric}", which flagops.config.yaml does not define.`, {
      hint: near
        ? `Did you mean "${near}"?`
        : names.length > 0
          ? `Defined metrics: ${names.join(', ')}; or define it under metrics: in flagops.config.yaml (docs/guards.md).`
          : 'Define it under metrics: in flagops.config.yaml, with a PromQL query (docs/guards.md).',
    });
    return;
  }
  const resolved = resolveGuard(compiled, metrics);
  if ('problem' in resolved) {
    ctx.report(site.path, `The guard on "${compiled.metric}" has no threshold: ${resolved.problem}.`, {
      hint: 'Add maxIncrease (e.g. "0.5%"), maxRatio (e.g. 1.2) or max to the guard, or to the metric in flagops.config.yaml.',
    });
    return;
  }
  const written: Partial<GuardSpec> = typeof site.guard === 'string' ? {} : site.guard;
  const percentWritten = (['maxIncrease', 'max'] as const).filter((f) => typeof written[f] === 'string');
  if (resolved.kind === 'value' && percentWritten.length > 0) {
    ctx.report(fieldPath(site, percentWritten[0]!), `"${compiled.metric}" is a value (kind: value), not a rate: a percentage means nothing for it.`, {
      hint: `Write ${percentWritten[0]} in the metric's own unit, or maxRatio for a relative limit (1.2: 20% worse than control).`,
    });
  }
  if (resolved.kind === 'rate') {
    if (resolved.maxIncrease !== undefined && resolved.maxIncrease >= 1) {
      ctx.report(fieldPath(site, 'maxIncrease'), `A rate lies between 0 and 100%, so an increase of ${resolved.maxIncrease * 100}% can never be exceeded: the guard would never fire.`, {
        hint: 'Write the increase as a share: "0.5%" or 0.005.',
      });
    }
    if (resolved.max !== undefined && (resolved.max <= 0 || resolved.max >= 1)) {
      ctx.report(fieldPath(site, 'max'), resolved.max <= 0 ? 'A rate of at most 0 can never be shown to hold: the stage would hold for ever.' : `A rate never exceeds 100%, so max ${resolved.max * 100}% never fires.`, {
        hint: 'Write the largest allowed rate as a share between 0 and 100%: "1%" or 0.01.',
      });
    }
  }
  if (resolved.maxRatio !== undefined && resolved.maxRatio < 1) {
    ctx.report(fieldPath(site, 'maxRatio'), `maxRatio ${resolved.maxRatio} demands that the new variant beat the control by ${Math.round((1 - resolved.maxRatio) * 100)}%: within noise it holds, not passes.`, {
      hint: 'A ratio of 1 allows no regression; 1.2 allows 20%.',
    });
  }
}

export const guardsValid: FlagRule = {
  code: 'guard-invalid',
  severity: 'error',
  description: 'Guards name metrics the configuration defines, with thresholds that can pass and fail, on rollout stages that have a stage before them.',
  check(flag, ctx) {
    const { own, staged } = guardSites(flag);
    for (const site of [...own, ...staged]) checkGuard(site, ctx);
    const rollouts = serveSites(flag).some(({ serve }) => typeof serve !== 'string' && 'rollout' in serve);
    if (own.length > 0 && !rollouts) {
      ctx.report(['guards'], 'The flag has guards but no rollout: guards watch rollout stages, and this flag has none in any environment.', {
        part: 'key',
        hint: 'Serve a rollout (serve: { rollout: { stages: [...] } }) in the environments to guard, or remove guards.',
      });
    }
    for (const site of staged.filter((s) => s.stage === 0)) {
      ctx.report(site.path, 'The first stage has no stage before it in which to measure its guard: it would hold for ever.', {
        hint: 'Put the guard on the flag (guards: at the top, watched from the first stage on) or on a later stage.',
      });
    }
  },
};
