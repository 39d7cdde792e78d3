import { didYouMean, quoteList } from '../../../shared/suggest.js';
import type { FlagRule } from '../rule.js';

export const environmentsDeclared: FlagRule = {
  code: 'unknown-environment',
  severity: 'error',
  description: 'Every environment a flag names is declared in flagops.config.yaml.',
  check(flag, ctx) {
    const declared = Object.keys(ctx.config.environments);
    for (const name of Object.keys(flag.environments)) {
      if (Object.hasOwn(ctx.config.environments, name)) continue;
      const guess = didYouMean(name, declared);
      ctx.report(
        ['environments', name],
        `Environment "${name}" is not declared.${guess ? ` Did you mean "${guess}"?` : ''}`,
        {
          part: 'key',
          hint: `Declared environments: ${quoteList(declared, 'and')}. Declare new ones under environments in flagops.config.yaml.`,
        },
      );
    }
  },
};

export const enabledEnvironmentsServe: FlagRule = {
  code: 'missing-serve',
  severity: 'error',
  description: 'An enabled environment says what users that no rule matches get (serve).',
  check(flag, ctx) {
    for (const [name, env] of Object.entries(flag.environments)) {
      if (!env.enabled || env.serve !== undefined) continue;
      ctx.report(
        ['environments', name],
        `Environment "${name}" is enabled but does not say what everyone else gets.`,
        {
          part: 'key',
          hint: 'Add serve: a variant (serve: on), a percentage (serve: { percentage: 10 }), a split or a rollout. Use serve: off to serve only the rules.',
        },
      );
    }
  },
};
