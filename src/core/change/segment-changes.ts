import type { CompiledFlag, CompiledMatch } from '../serving/compiled.js';
import type { Condition } from '../definition/model.js';

type Compiled = CompiledFlag | undefined;

/** One segment whose conditions change, what changes, and every flag and environment it changes. */
export interface SegmentChange {
  segment: string;
  details: string[];
  affects: Array<{ flag: string; environment: string }>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const describeCondition = (c: Condition) => `${c.attribute} ${c.op} ${JSON.stringify(c.values ?? c.value)}`;

/** "users u-1, u-2 and groups beta and segment eu" — who a match tree matches, in words. */
export function describeMatch(node: CompiledMatch): string {
  const parts: string[] = [];
  if (node.users) parts.push(`users ${node.users.join(', ')}`);
  if (node.groups) parts.push(`groups ${node.groups.join(', ')}`);
  for (const c of node.when ?? []) parts.push(describeCondition(c));
  for (const child of node.all ?? []) parts.push(child.segment !== undefined ? `segment ${child.segment}` : `(${describeMatch(child)})`);
  if (node.any) {
    const items = node.any.map((child) => (child.segment !== undefined ? child.segment : `(${describeMatch(child)})`));
    parts.push(node.any.every((child) => child.segment !== undefined) ? `any of segments ${items.join(', ')}` : `any of ${items.join(', ')}`);
  }
  if (node.not) parts.push(`not ${node.not.segment !== undefined ? `segment ${node.not.segment}` : `(${describeMatch(node.not)})`}`);
  return parts.join(' and ') || 'everyone';
}

/** Every segment copied into rules, by key (a segment is the same wherever it is copied). */
export function segmentsIn(rules: readonly CompiledMatch[] = []): Map<string, CompiledMatch> {
  const out = new Map<string, CompiledMatch>();
  const visit = (node: CompiledMatch) => {
    if (node.segment !== undefined && !out.has(node.segment)) out.set(node.segment, node);
    for (const child of node.all ?? []) visit(child);
    for (const child of node.any ?? []) visit(child);
    if (node.not) visit(node.not);
  };
  for (const rule of rules) visit(rule);
  return out;
}

/** A match tree with each nested segment reduced to its name: what a rule says on its own. */
export function withoutSegmentBodies(node: CompiledMatch, top = true): CompiledMatch {
  if (!top && node.segment !== undefined) return { segment: node.segment };
  const out: CompiledMatch = { ...node };
  if (node.all) out.all = node.all.map((child) => withoutSegmentBodies(child, false));
  if (node.any) out.any = node.any.map((child) => withoutSegmentBodies(child, false));
  if (node.not) out.not = withoutSegmentBodies(node.not, false);
  return out;
}

/** "+ group design-partners", "- user u-9", "condition plan eq "pro" → …": one segment's own change. */
export function describeSegmentChange(before: CompiledMatch, after: CompiledMatch): string[] {
  const [a, b] = [withoutSegmentBodies(before), withoutSegmentBodies(after)];
  const lines: string[] = [];
  const list = (word: string, from: readonly string[] = [], to: readonly string[] = []) => {
    for (const x of to) if (!from.includes(x)) lines.push(`+ ${word} ${x}`);
    for (const x of from) if (!to.includes(x)) lines.push(`- ${word} ${x}`);
  };
  list('user', a.users, b.users);
  list('group', a.groups, b.groups);
  list('condition', (a.when ?? []).map(describeCondition), (b.when ?? []).map(describeCondition));
  const rest = (m: CompiledMatch) => ({ all: m.all, any: m.any, not: m.not });
  if (!same(rest(a), rest(b))) lines.push(`${describeMatch({ ...rest(a) })} ⇒ ${describeMatch({ ...rest(b) })}`);
  // Only a segment it names changed: that one is listed on its own.
  return lines;
}

/**
 * The segments whose conditions differ between two compiles of the same flags, per environment,
 * with every flag (and environment) that has the segment on both sides. Works on compiled flags, so
 * `plan` (the store against git) and `diff` (two commits) describe a segment change the same way.
 */
export function segmentChanges(
  environments: ReadonlyArray<{ environment: string; before: ReadonlyMap<string, Compiled>; after: ReadonlyMap<string, Compiled> }>,
): SegmentChange[] {
  const changes = new Map<string, SegmentChange>();
  for (const { environment, before, after } of environments) {
    for (const [key, flag] of after) {
      const old = segmentsIn(before.get(key)?.rules);
      for (const [segment, node] of segmentsIn(flag?.rules)) {
        const previous = old.get(segment);
        // A segment that only names a changed segment is not changed itself: the named one is listed.
        if (!previous || same(withoutSegmentBodies(previous), withoutSegmentBodies(node))) continue;
        let change = changes.get(segment);
        if (!change) {
          change = { segment, details: describeSegmentChange(previous, node), affects: [] };
          changes.set(segment, change);
        }
        change.affects.push({ flag: key, environment });
      }
    }
  }
  return [...changes.values()].sort((x, y) => (x.segment < y.segment ? -1 : 1));
}

/** "segment beta-customers: + group design-partners — changes new-checkout (production), dark-mode (staging)". */
export function formatSegmentChange(change: SegmentChange, environments?: number): string {
  const byFlag = new Map<string, string[]>();
  for (const { flag, environment } of change.affects) byFlag.set(flag, [...(byFlag.get(flag) ?? []), environment]);
  const affected = [...byFlag]
    .map(([flag, envs]) => (environments === 1 ? flag : `${flag} (${envs.join(', ')})`))
    .join(', ');
  const what = change.details.length > 0 ? change.details.join(', ') : 'a segment it names changed';
  return `segment ${change.segment}: ${what} — changes ${affected}`;
}
