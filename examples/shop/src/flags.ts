/** Flag keys in one place: code reads FLAGS.NEW_CHECKOUT, never a string typed twice. */
export const FLAGS = {
  NEW_CHECKOUT: 'new-checkout',
  EXPRESS_PAY: 'express-pay',
} as const;

export enum Experiment {
  PricingPage = 'pricing-page-test',
}

export const PAYMENTS_KILL_SWITCH = 'payments-enabled';
