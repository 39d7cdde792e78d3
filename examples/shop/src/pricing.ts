import { flags } from './client.js';
import { Experiment } from './flags.js';
import type { User } from './feature.js';

export function pricingLayout(user: User): string {
  return flags.getVariant(Experiment.PricingPage, { userId: user.id, plan: user.plan }) ?? 'control';
}

export function requestsPerMinute(user: User): number {
  const limits = flags.getValue('api-rate-limits', { userId: user.id, plan: user.plan }, { perMinute: 600 });
  return limits.perMinute;
}
