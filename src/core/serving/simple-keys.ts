import type { CompiledFlag, CompiledServe } from './compiled.js';
import { DEFAULT_STICKINESS } from '../definition/model.js';

/**
 * The one-GET shape for small services in other languages, read with the recipe in
 * docs/redis-layout.md#simple-per-flag-keys: off when not enabled; on for a listed user or group;
 * on for everyone at 100; off without a user id; otherwise on when
 * `int(md5("<key>:<userId>"), 16) % 100 < percentage`.
 */
export interface SimpleFlag {
  enabled: boolean;
  /** A whole number from 0 to 100: the recipe compares whole buckets. */
  percentage: number;
  allowed_users: string[];
  allowed_groups: string[];
  /** Always empty: kept for readers written against the first version of the shape. */
  variants: Record<string, number>;
}

export type SimpleView = { simple: SimpleFlag } | { reason: string };

const isOnOff = (f: CompiledFlag) =>
  Object.keys(f.variants).length === 2 && f.variants.on === true && f.variants.off === false && f.offVariant === 'off';

const isPlainVariant = (serve: CompiledServe): serve is { variant: string } =>
  'variant' in serve && !('percentage' in serve) && !('stages' in serve);

const EMPTY: SimpleFlag = Object.freeze({ enabled: false, percentage: 0, allowed_users: [], allowed_groups: [], variants: {} }) as SimpleFlag;

/**
 * The flag in the simple shape, when that shape says exactly what the SDK serves to every user;
 * otherwise why not. `override` is a live kill switch's variant (flagops kill): it decides for
 * everyone. Simple readers hash `<key>:<userId>` in whole percent, so the salt must be the key,
 * stickiness the user id, and the share of users who get `on` a whole number from the bottom of
 * the bucket range.
 */
export function simpleView(flag: CompiledFlag, override?: string): SimpleView {
  if (!isOnOff(flag)) return { reason: 'its variants are not on: true / off: false' };
  if (override !== undefined) return { simple: { ...EMPTY, enabled: override === 'on', percentage: override === 'on' ? 100 : 0 } };
  if (!flag.enabled) return { simple: { ...EMPTY } };
  if (flag.salt !== flag.key) return { reason: 'it sets its own salt' };
  if (flag.requires) return { reason: `it requires ${flag.requires.map((r) => r.flag).join(', ')} (prerequisites are evaluated by the SDK)` };
  const serve = flag.serve;
  if ('stickiness' in serve && serve.stickiness !== DEFAULT_STICKINESS) return { reason: `it buckets by ${serve.stickiness}` };
  if ('stages' in serve) return { reason: 'its rollout changes with time (stages)' };
  const simple: SimpleFlag = { ...EMPTY, enabled: true, allowed_users: [], allowed_groups: [] };
  for (const rule of flag.rules) {
    if (rule.when) return { reason: `rule ${rule.name ?? ''} tests attributes`.replace('  ', ' ') };
    if (rule.all || rule.any || rule.not) return { reason: `rule ${rule.name ?? ''} uses segments`.replace('  ', ' ') };
    if (!isPlainVariant(rule.serve) || rule.serve.variant !== 'on') return { reason: 'a rule serves something other than on to everyone it matches' };
    if (rule.users && rule.groups) return { reason: 'a rule needs both a user and a group' };
    for (const user of rule.users ?? []) if (!simple.allowed_users.includes(user)) simple.allowed_users.push(user);
    for (const group of rule.groups ?? []) if (!simple.allowed_groups.includes(group)) simple.allowed_groups.push(group);
  }
  const share = shareOn(serve);
  if (typeof share === 'string') return { reason: share };
  simple.percentage = share;
  return { simple };
}

/** The whole percentage of buckets, from the bottom, that get `on`; or why there is none. */
function shareOn(serve: CompiledServe): number | string {
  if ('split' in serve) {
    // The SDK gives `on` to buckets from the sum of the weights before it up to that sum plus its own.
    let start = 0;
    for (const [variant, weight] of serve.split) {
      if (variant !== 'on') {
        start += weight;
        continue;
      }
      if (start > 0 && weight > 0) return 'its split gives on to buckets above off (list on first)';
      // A split needs the user id even at 100 %; the simple recipe's 100 means everyone.
      if (weight === 100) return 'its split serves on only to users with an id (use serve: on for everyone)';
      return whole(weight);
    }
    return 0;
  }
  if ('percentage' in serve) return serve.variant === 'on' ? whole(serve.percentage) : `its percentage serves ${serve.variant}`;
  if ('variant' in serve) return serve.variant === 'on' ? 100 : 0;
  return 'its serve is not a variant, a percentage or a split';
}

const whole = (percentage: number) =>
  Number.isInteger(percentage) ? percentage : `${percentage} % is finer than the whole percentages simple readers compare`;

export interface SimpleKeysPlan {
  set: Map<string, string>;
  remove: string[];
  /** Flags the simple shape cannot express, and why: sync warns about them. */
  skipped: Array<{ key: string; reason: string }>;
}

/**
 * Desired simple keys against the live ones: set what differs, delete what must not be there.
 * `overrides` are the live kill switches (flag → variant): a simple key says what they serve.
 */
export function planSimpleKeys(
  desired: ReadonlyMap<string, string>,
  live: ReadonlyMap<string, string>,
  overrides: ReadonlyMap<string, string> = new Map(),
): SimpleKeysPlan {
  const plan: SimpleKeysPlan = { set: new Map(), remove: [], skipped: [] };
  for (const [key, json] of desired) {
    const view = simpleView(JSON.parse(json) as CompiledFlag, overrides.get(key));
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

/** The simple key a kill (or its undo) leaves: its JSON, or null to delete it. */
export function simpleKeyAfterOverride(flagJson: string, override: string | undefined): string | null {
  try {
    const view = simpleView(JSON.parse(flagJson) as CompiledFlag, override);
    return 'simple' in view ? JSON.stringify(view.simple) : null;
  } catch {
    // A stored flag that cannot be read says nothing exact: simple readers fall back to their default.
    return null;
  }
}
