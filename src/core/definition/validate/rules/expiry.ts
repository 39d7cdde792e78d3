import { addDays, daysBetween, dayToMs } from '../../../shared/dates.js';
import type { FlagRule } from '../rule.js';

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'An' : 'A');

export const expiresAfterCreated: FlagRule = {
  code: 'expires-before-created',
  severity: 'error',
  description: 'expires is later than created.',
  check(flag, ctx) {
    if (flag.expires === undefined || dayToMs(flag.expires) > dayToMs(flag.created)) return;
    ctx.report(['expires'], `expires (${flag.expires}) must be after created (${flag.created}).`, {
      hint: 'Set expires to the day the flag should be gone from the code.',
    });
  },
};

export const expiresRequired: FlagRule = {
  code: 'expires-required',
  severity: 'error',
  description: 'Temporary flag types (release and experiment by default) have an expires date.',
  check(flag, ctx) {
    const policy = ctx.config.types[flag.type];
    if (!policy.requireExpires || flag.expires !== undefined) return;
    const suggestion = policy.maxLifetimeDays ? addDays(flag.created, policy.maxLifetimeDays) : undefined;
    ctx.report(
      ['type'],
      `${article(flag.type)} ${flag.type} flag must say when it expires; this one has no expires date.`,
      {
        hint: suggestion
          ? `Add "expires: ${suggestion}" (at most ${policy.maxLifetimeDays} days after created).`
          : 'Add an expires date (YYYY-MM-DD).',
      },
    );
  },
};

export const expiresWithinLifetime: FlagRule = {
  code: 'expires-too-far',
  severity: 'error',
  description: 'expires is no later than created plus the type\'s maximum lifetime.',
  check(flag, ctx) {
    const max = ctx.config.types[flag.type].maxLifetimeDays;
    if (flag.expires === undefined || !max) return;
    const days = daysBetween(flag.created, flag.expires);
    if (days <= max) return;
    ctx.report(
      ['expires'],
      `${article(flag.type)} ${flag.type} flag may live at most ${max} days, but expires (${flag.expires}) is ${days} days after created (${flag.created}).`,
      {
        hint: `Set expires to ${addDays(flag.created, max)} or earlier, or use a type that may live longer (ops, permission, kill-switch).`,
      },
    );
  },
};
