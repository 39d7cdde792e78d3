import type { PathSegment } from '../../load/source-map.js';
import type { FlagRule } from '../rule.js';
import { serveSites } from '../walk.js';

const twoDecimals = (n: number) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;

export const percentagePrecision: FlagRule = {
  code: 'percentage-precision',
  severity: 'error',
  description:
    'Percentages and split weights lie in [0, 100] with at most two decimals (bucketing has 0.01 resolution).',
  check(flag, ctx) {
    const check = (value: number, path: PathSegment[]) => {
      if (value >= 0 && value <= 100 && twoDecimals(value)) return;
      ctx.report(path, `Percentages lie between 0 and 100 with at most two decimals; found ${value}.`, {
        hint: `Users are bucketed in steps of 0.01%: use ${Math.min(100, Math.max(0, Math.round(value * 100) / 100))}.`,
      });
    };
    for (const { serve, path } of serveSites(flag)) {
      if (typeof serve === 'string') continue;
      if ('percentage' in serve) check(serve.percentage, [...path, 'percentage']);
      if ('split' in serve)
        for (const [name, w] of Object.entries(serve.split)) check(w, [...path, 'split', name]);
      if ('rollout' in serve) {
        serve.rollout.stages.forEach((s, i) => {
          check(s.percentage, [...path, 'rollout', 'stages', i, 'percentage']);
        });
      }
    }
  },
};

export const splitSumsTo100: FlagRule = {
  code: 'split-sum',
  severity: 'error',
  description: 'The weights of a split add up to 100.',
  check(flag, ctx) {
    for (const { serve, path } of serveSites(flag)) {
      if (typeof serve === 'string' || !('split' in serve)) continue;
      const weights = Object.entries(serve.split);
      const sum = weights.reduce((total, [, w]) => total + w, 0);
      if (Math.abs(sum - 100) < 1e-6) continue;
      const shown = Math.round(sum * 100) / 100;
      ctx.report([...path, 'split'], `The split's weights add up to ${shown}; they must add up to 100.`, {
        part: 'key',
        hint: `${weights.map(([n, w]) => `${n} ${w}`).join(' + ')} = ${shown}. ${shown < 100 ? `Add ${Math.round((100 - sum) * 100) / 100}` : `Remove ${Math.round((sum - 100) * 100) / 100}`} somewhere.`,
      });
    }
  },
};

export const stagesInOrder: FlagRule = {
  code: 'stage-order',
  severity: 'error',
  description: 'Rollout stage times strictly increase and their percentages never decrease.',
  check(flag, ctx) {
    for (const { serve, path } of serveSites(flag)) {
      if (typeof serve === 'string' || !('rollout' in serve)) continue;
      const stages = serve.rollout.stages;
      for (let i = 1; i < stages.length; i++) {
        const prev = stages[i - 1]!;
        const stage = stages[i]!;
        const at = [...path, 'rollout', 'stages', i];
        if (Date.parse(stage.at) <= Date.parse(prev.at)) {
          ctx.report(
            [...at, 'at'],
            `Stage ${i + 1} starts at ${stage.at}, not after stage ${i} (${prev.at}); stage times must strictly increase.`,
            {
              hint: 'List the stages in time order, each later than the one before.',
            },
          );
        }
        if (stage.percentage < prev.percentage) {
          ctx.report(
            [...at, 'percentage'],
            `Stage ${i + 1} lowers the rollout from ${prev.percentage}% to ${stage.percentage}%; stages may only grow.`,
            {
              hint: 'A rollback is a change to the flag (lower the percentage or disable it), not a scheduled stage.',
            },
          );
        }
      }
    }
  },
};
