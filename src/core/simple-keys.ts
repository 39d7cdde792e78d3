import type { CompiledFlag } from './compiled.js';
import { DEFAULT_STICKINESS } from './model.js';

/** The one-GET shape for small services in other languages. */
export interface SimpleFlag {
  enabled: boolean;
  percentage: number;
  allowed_users: string[];
  allowed_groups: string[];
  /** variant name → weight, for splits; empty for on/off flags. */
  variants: Record<string, number>;
}

export type SimpleView = { simple: SimpleFlag } | { reason: string };

const isOnOff = (f: CompiledFlag) =>
  Object.keys(f.variants).length === 2 && f.variants.on === true && f.variants.off === false && f.offVariant === 'off';

/**
 * The flag in the simple shape, when that shape says exactly what the flag does; otherwise why not.
 * Simple readers hash `<key>:<userId>`, so the salt must be the key and stickiness the user id.
 */
export function simpleView(flag: CompiledFlag): SimpleView {
  const empty: SimpleFlag = { enabled: false, percentage: 0, allowed_users: [], allowed_groups: [], variants: {} };
  if (!flag.enabled) return { simple: empty };
  if (flag.salt !== flag.key) return { reason: 'it sets its own salt' };
  const serve = flag.serve;
  if ('stickiness' in serve && serve.stickiness !== DEFAULT_STICKINESS) return { reason: `it buckets by ${serve.stickiness}` };
  if ('stages' in serve) return { reason: 'its rollout changes with time (stages)' };
  if ('split' in serve) {
    if (flag.rules.length > 0) return { reason: 'it has rules as well as a split' };
    return { simple: { ...empty, enabled: true, percentage: 100, variants: Object.fromEntries(serve.split) } };
  }
  if (!isOnOff(flag)) return { reason: 'its variants are not on: true / off: false' };
  const simple: SimpleFlag = { ...empty, enabled: true };
  for (const rule of flag.rules) {
    if (rule.when) return { reason: `rule ${rule.name ?? ''} tests attributes`.replace('  ', ' ') };
    if (!('variant' in rule.serve) || rule.serve.variant !== 'on') return { reason: 'a rule serves something other than on' };
    if (rule.users && rule.groups) return { reason: 'a rule needs both a user and a group' };
    simple.allowed_users = simple.allowed_users.concat(rule.users ?? []);
    simple.allowed_groups = simple.allowed_groups.concat(rule.groups ?? []);
  }
  if ('percentage' in serve) {
    if (serve.variant !== 'on') return { reason: `its percentage serves ${serve.variant}` };
    simple.percentage = serve.percentage;
  } else {
    simple.percentage = serve.variant === 'on' ? 100 : 0;
  }
  return { simple };
}

export interface SimpleKeysPlan {
  set: Map<string, string>;
  remove: string[];
  /** Flags the simple shape cannot express, and why: sync warns about them. */
  skipped: Array<{ key: string; reason: string }>;
}

/** Desired simple keys against the live ones: set what differs, delete what must not be there. */
export function planSimpleKeys(desired: ReadonlyMap<string, string>, live: ReadonlyMap<string, string>): SimpleKeysPlan {
  const plan: SimpleKeysPlan = { set: new Map(), remove: [], skipped: [] };
  for (const [key, json] of desired) {
    const view = simpleView(JSON.parse(json) as CompiledFlag);
    if ('reason' in view) {
      plan.skipped.push({ key, reason: view.reason });
      if (live.has(key)) plan.remove.push(key);
      continue;
    }
    const text = JSON.stringify(view.simple);
    if (live.get(key) !== text) plan.set.set(key, text);
  }
  for (const key of live.keys()) if (!desired.has(key)) plan.remove.push(key);
  return plan;
}
