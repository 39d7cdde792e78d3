import { preview } from '../../../shared/diagnostic.js';
import type { FlagRule } from '../rule.js';

const handle = /^@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const team = /^@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const email = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;

export const validOwner = (owner: string) => handle.test(owner) || team.test(owner) || email.test(owner);
export const OWNER_HINT = 'For example: owner: "@acme/payments" (quote it: a bare @ cannot start a YAML value).';

export const ownerFormat: FlagRule = {
  code: 'owner-format',
  severity: 'error',
  description: 'owner is a GitHub @handle, an @org/team or an e-mail address.',
  check(flag, ctx) {
    if (validOwner(flag.owner)) return;
    ctx.report(['owner'], `owner must be a GitHub @handle, an @org/team or an e-mail address; found ${preview(flag.owner)}.`, { hint: OWNER_HINT });
  },
};
