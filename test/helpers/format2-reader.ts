import { referencePosition } from './bucket-reference.js';

/**
 * A reader of the compiled format written from docs/redis-layout.md alone (format 2: match trees,
 * segments copied in, `requires`), the slow and obvious way, as another language would: the
 * property test holds the SDK's engine against it. Conditions: `eq` and `in` only (what the test
 * generates); serves: a variant, or a percentage by userId.
 */
type Node = {
  users?: string[];
  groups?: string[];
  when?: Array<{ attribute: string; op: string; value?: unknown; values?: unknown[] }>;
  all?: Node[];
  any?: Node[];
  not?: Node;
};
type Serve = { variant: string; percentage?: number };
type Flag = {
  enabled: boolean;
  offVariant: string;
  salt: string;
  requires?: Array<{ flag: string; variant: string }>;
  rules: Array<Node & { serve: Serve }>;
  serve: Serve;
};
type Context = { userId?: string; groups?: string[]; [attribute: string]: unknown };

function matches(node: Node, context: Context): boolean {
  if (node.users && !(typeof context.userId === 'string' && node.users.includes(context.userId))) return false;
  if (node.groups && !(context.groups ?? []).some((g) => node.groups!.includes(g))) return false;
  for (const c of node.when ?? []) {
    const value = String(context[c.attribute]);
    const ok = c.op === 'eq' ? value === String(c.value) : c.op === 'in' ? (c.values ?? []).map(String).includes(value) : false;
    if (!ok) return false;
  }
  for (const child of node.all ?? []) if (!matches(child, context)) return false;
  if (node.any && !node.any.some((child) => matches(child, context))) return false;
  if (node.not && matches(node.not, context)) return false;
  return true;
}

function served(flag: Flag, serve: Serve, context: Context): string {
  if (serve.percentage === undefined) return serve.variant;
  if (typeof context.userId !== 'string' || context.userId === '') return flag.offVariant;
  return referencePosition(flag.salt, context.userId) < serve.percentage ? serve.variant : flag.offVariant;
}

/** The variant a context gets, or undefined for a flag that is not in the store. */
export function readFormat2(flags: ReadonlyMap<string, string>, key: string, context: Context): string | undefined {
  const json = flags.get(key);
  if (json === undefined) return undefined;
  const flag = JSON.parse(json) as Flag;
  if (!flag.enabled) return flag.offVariant;
  for (const r of flag.requires ?? []) if (readFormat2(flags, r.flag, context) !== r.variant) return flag.offVariant;
  for (const rule of flag.rules) if (matches(rule, context)) return served(flag, rule.serve, context);
  return served(flag, flag.serve, context);
}
