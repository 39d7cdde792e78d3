import { flags } from './client.js';
import { FLAGS, isFeatureOn, PAYMENTS_KILL_SWITCH } from './index.js';
import type { User } from './feature.js';

export function checkoutSteps(user: User): string[] {
  // A kill switch: on while payments work, switched off in seconds when they do not.
  if (!flags.isEnabled(PAYMENTS_KILL_SWITCH, { userId: user.id }, true)) return ['payments-paused'];
  const steps = isFeatureOn(FLAGS.NEW_CHECKOUT, user) ? ['one-page'] : ['cart', 'address', 'payment'];
  if (isFeatureOn(FLAGS.EXPRESS_PAY, user)) steps.unshift('express-pay-buttons');
  return steps;
}
