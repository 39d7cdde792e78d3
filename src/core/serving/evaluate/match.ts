import type { CompiledMatch } from '../compiled.js';
import type { Condition } from '../../definition/model.js';
import { compileCondition, type Test } from './operators.js';

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const always: Test = () => true;

/**
 * A rule's or a segment's conditions as one test, or undefined when it states none. A node with a
 * single part is that part's test itself, so a rule through a segment runs the same closures as the
 * same conditions written inline. Throws on a malformed node (the flag is then unreadable).
 */
export function matchTest(node: CompiledMatch): Test | undefined {
  if (!isObject(node)) throw new Error('a condition group is not an object');
  const tests: Test[] = [];
  if (node.users !== undefined) {
    if (!Array.isArray(node.users)) throw new Error('"users" is not a list');
    const users = new Set(node.users.map(String));
    tests.push((context) => {
      const id = context.userId;
      return (typeof id === 'string' || typeof id === 'number') && users.has(String(id));
    });
  }
  if (node.groups !== undefined) {
    if (!Array.isArray(node.groups)) throw new Error('"groups" is not a list');
    const groups = new Set(node.groups.map(String));
    tests.push((context) => {
      const mine = context.groups;
      if (typeof mine === 'string') return groups.has(mine);
      return Array.isArray(mine) && mine.some((g) => groups.has(String(g)));
    });
  }
  if (node.when !== undefined) {
    if (!Array.isArray(node.when)) throw new Error('"when" is not a list');
    for (const condition of node.when) tests.push(compileCondition(condition as Condition));
  }
  if (node.all !== undefined) {
    if (!Array.isArray(node.all)) throw new Error('"all" is not a list');
    for (const child of node.all) {
      const test = matchTest(child);
      if (test !== undefined) tests.push(test);
    }
  }
  if (node.any !== undefined) {
    if (!Array.isArray(node.any)) throw new Error('"any" is not a list');
    const children = node.any.map((child) => matchTest(child) ?? always);
    if (children.length === 0) tests.push(() => false);
    else if (children.length === 1) tests.push(children[0]!);
    else tests.push((context) => children.some((test) => test(context)));
  }
  if (node.not !== undefined) {
    const inner = matchTest(node.not) ?? always;
    tests.push((context) => !inner(context));
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return (context) => a(context) && b(context);
  }
  return (context) => tests.every((test) => test(context));
}

/**
 * The segments a context matched on the way through a rule that matched, outermost first: what
 * `flagops eval` shows. Not on the hot path: it tests each segment node on its own.
 */
export function matchedSegments(node: CompiledMatch, context: Parameters<Test>[0]): string[] {
  const out: string[] = [];
  const visit = (n: CompiledMatch, negated: boolean) => {
    if (!isObject(n)) return;
    if (typeof n.segment === 'string' && !negated && (matchTest(n) ?? always)(context)) out.push(n.segment);
    for (const child of Array.isArray(n.all) ? n.all : []) visit(child, negated);
    for (const child of Array.isArray(n.any) ? n.any : []) visit(child, negated);
    if (n.not) visit(n.not, !negated);
  };
  visit(node, false);
  return out;
}
