import { type Candidate, type CallBinding, emptyFacts, type ModuleFacts, type ValueExpr } from '../../../core/lifecycle/scan/facts.js';
import { type CallPattern, callsIn, type ReferencePatterns } from '../../../core/lifecycle/scan/patterns/patterns.js';
import { ENUM_KEY_ACCESSORS } from '../../../core/lifecycle/scan/resolve/resolve.js';
import type { Parser, SyntaxNode } from '../../parse/tree-sitter.js';
import { asWrapper, candidateAt, childrenOf, type EnclosingFunction, inDocumentOrder, keywordKey, nameInFunction, otherCall } from '../syntax-tree.js';
import type { CallShape, ContainerShape, FunctionShape, TreeSyntax } from './tree-syntax.js';

/**
 * One walk over a file of a language of classes and constants, told by its TreeSyntax: constants
 * (top-level, in classes, objects, modules and enums) become declarations other files import by
 * name; a function whose parameter reaches a flag call becomes a wrapper; flag calls become
 * candidates, with the precision rules Python's and Go's adapters apply.
 */
interface Scope {
  /** The names from the file's top level to this class: how its constants are read (`Outer.Inner.X`). */
  path: string[];
  methods: Set<string>;
  /** Its constants, enum entries and nested classes. */
  members: Set<string>;
}

interface TreeWalk {
  syntax: TreeSyntax;
  text: string;
  facts: ModuleFacts;
  calls: ReadonlyMap<string, CallPattern>;
  topFunctions: Set<string>;
  /** Constants and classes the file declares at its top level. */
  topNames: Set<string>;
  /** `import static a.Keys.X`: X is member X of the class imported under the first name. */
  memberImports: Map<string, [holder: string, member: string]>;
  scopes: Scope[];
  fn?: EnclosingFunction;
}

export function analyseTree(syntax: TreeSyntax, parser: Parser, file: string, text: string, patterns: ReferencePatterns): ModuleFacts {
  const facts = emptyFacts(file, text);
  const tree = parser.parse(text);
  if (!tree) return facts;
  try {
    const w: TreeWalk = {
      syntax,
      text,
      facts,
      calls: callsIn(patterns, syntax.language),
      topFunctions: new Set(),
      topNames: new Set(),
      memberImports: new Map(),
      scopes: [],
    };
    const top = level(syntax, tree.rootNode);
    for (const node of top) {
      const imported = syntax.imports(node);
      if (imported) for (const entry of imported) addImport(w, entry.local, entry.qualified, entry.member === true);
      const fn = syntax.fn(node);
      if (fn?.name) w.topFunctions.add(fn.name);
      const container = syntax.container(node);
      if (container?.name) w.topNames.add(container.name);
      for (const [name] of syntax.declares(node)?.names ?? []) w.topNames.add(name);
    }
    for (const node of top) declareTop(w, node);
    walk(w, tree.rootNode);
  } finally {
    // The tree lives in WebAssembly memory, outside the garbage collector.
    tree.delete();
  }
  return facts;
}

/** The nodes at a file's top level, through namespace and package blocks. */
function level(syntax: TreeSyntax, node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).flatMap((child) => {
    const body = syntax.namespaceBody?.(child);
    return body ? level(syntax, body) : [child];
  });
}

/** An import's local name: a type's, or a member of a type (read as `Holder.MEMBER`). */
function addImport(w: TreeWalk, local: string, qualified: readonly string[], member: boolean): void {
  const holder = qualified.at(-2);
  if (member && holder) {
    const from = qualified.slice(0, -1).join('.');
    w.facts.imports.set(from, { from, name: holder });
    w.memberImports.set(local, [from, qualified.at(-1)!]);
    return;
  }
  w.facts.imports.set(local, { from: qualified.join('.'), name: qualified.at(-1)! });
}

function declareTop(w: TreeWalk, node: SyntaxNode): void {
  const container = w.syntax.container(node);
  if (container?.name) {
    w.facts.declarations.set(container.name, containerValue(w, container, [container.name]));
    w.facts.exports.set(container.name, { local: container.name });
    return;
  }
  const declared = w.syntax.declares(node);
  for (const [name, value] of declared?.names ?? []) {
    w.facts.declarations.set(name, declaredValue(w, name, value, declared!.constant));
    w.facts.exports.set(name, { local: name });
  }
}

function declaredValue(w: TreeWalk, name: string, value: SyntaxNode | undefined, constant: boolean): ValueExpr {
  if (!constant) return { k: 'opaque', why: `${name} is a variable` };
  return value ? valueOf(w, value) : { k: 'opaque', why: `${name} is declared without a value` };
}

function scopeOf(w: TreeWalk, container: ContainerShape, path: string[]): Scope {
  const scope: Scope = { path, methods: new Set(), members: new Set(container.entries?.map(([name]) => name)) };
  const kind = kinds(w.syntax);
  for (const member of container.members) {
    switch (kind.get(member.type)) {
      case 'containers': {
        const inner = w.syntax.container(member);
        if (inner && !inner.name) {
          // A companion object's members are its class's.
          const merged = scopeOf(w, inner, path);
          for (const name of merged.methods) scope.methods.add(name);
          for (const name of merged.members) scope.members.add(name);
        } else if (inner?.name) scope.members.add(inner.name);
        break;
      }
      case 'functions': {
        const fn = w.syntax.fn(member);
        if (fn?.name) scope.methods.add(fn.name);
        break;
      }
      case 'declarations':
        for (const [name] of w.syntax.declares(member)?.names ?? []) scope.members.add(name);
    }
  }
  return scope;
}

/** A class as the object of its constants: `Flags.NEW_CHECKOUT`, `Flag.DARK` (an enum entry's argument). */
function containerValue(w: TreeWalk, container: ContainerShape, path: string[]): ValueExpr {
  w.scopes.push(scopeOf(w, container, path));
  try {
    const props: [string, ValueExpr][] = [];
    for (const [name, value] of container.entries ?? []) {
      props.push([name, value ? valueOf(w, value) : { k: 'opaque', why: `${name} is an enum entry without a value` }]);
    }
    for (const member of container.members) {
      const inner = w.syntax.container(member);
      if (inner) {
        const value = containerValue(w, inner, inner.name ? [...path, inner.name] : path);
        if (inner.name) props.push([inner.name, value]);
        else if (value.k === 'obj') props.push(...value.props);
        continue;
      }
      const declared = w.syntax.declares(member);
      for (const [name, value] of declared?.names ?? []) props.push([name, declaredValue(w, name, value, declared!.constant)]);
    }
    return { k: 'obj', props };
  } finally {
    w.scopes.pop();
  }
}

type Kind = keyof TreeSyntax['kinds'];

/** Each node type the syntax answers for, and which of its questions it answers (a node's type is read from the WebAssembly once). */
const kindsOf = new WeakMap<TreeSyntax, Map<string, Kind>>();
function kinds(syntax: TreeSyntax): Map<string, Kind> {
  let map = kindsOf.get(syntax);
  if (!map) {
    map = new Map(Object.entries(syntax.kinds).flatMap(([kind, types]) => types.map((type): [string, Kind] => [type, kind as Kind])));
    kindsOf.set(syntax, map);
  }
  return map;
}

/** Every node the syntax answers for, in document order, with the classes and functions it is in. */
function walk(w: TreeWalk, root: SyntaxNode): void {
  const kind = kinds(w.syntax);
  inDocumentOrder(root, [...kind.keys()], (node, open) => {
    switch (kind.get(node.type)) {
      case 'containers': {
        const container = w.syntax.container(node);
        if (!container) return;
        const outer = w.scopes.at(-1);
        const path = container.name ? [...(outer?.path ?? []), container.name] : (outer?.path ?? []);
        w.scopes.push(scopeOf(w, container, path));
        open(() => w.scopes.pop());
        return;
      }
      case 'functions': {
        const fn = w.syntax.fn(node);
        if (!fn) return;
        const outer = w.fn;
        w.fn = enter(w, node, fn);
        open(() => (w.fn = outer));
        return;
      }
      case 'declarations': {
        if (!w.fn) return;
        const declared = w.syntax.declares(node);
        for (const [name, value] of declared?.names ?? []) w.fn.locals.set(name, value ? valueOf(w, value) : { k: 'opaque', why: `${name} is declared without a value` });
        return;
      }
      case 'calls': {
        const call = w.syntax.call(node);
        if (call) callForm(w, node, call);
      }
    }
  });
}

/** A function the walk enters: a parameter reaching a flag call makes it a wrapper. */
function enter(w: TreeWalk, node: SyntaxNode, shape: FunctionShape): EnclosingFunction {
  const params = new Map<string, number>();
  if (shape.name) shape.params.forEach((param, i) => param !== undefined && params.set(param, i));
  if (shape.name) w.facts.functions.push([shape.name, node.startPosition.row + 1]);
  return { name: shape.name ?? '', params, method: w.scopes.length > 0, locals: new Map(w.fn?.locals) };
}

function callForm(w: TreeWalk, node: SyntaxNode, call: CallShape): void {
  const bound = binding(w, call);
  const pattern = w.calls.get(call.name);
  if (!pattern) {
    otherCall(w.facts, w.text, { name: call.name, args: call.args, bound }, (arg) => valueOf(w, arg));
    return;
  }
  const arg = call.args[pattern.argument] ?? keywordKey(call.keywords);
  if (!arg) return;
  const key = asWrapper(w.facts, node, valueOf(w, arg), pattern);
  if (key === true) return;
  const candidate: Candidate = candidateAt(w.text, arg, 'call', pattern.name, key, pattern.strict);
  const receiver = call.receiver && w.syntax.path(call.receiver);
  candidate.origin = !call.receiver ? { k: 'ref', path: [call.name] } : receiver ? { k: 'ref', path: receiver } : { k: 'opaque', why: `${call.receiver.text.slice(0, 40)} is computed` };
  if (pattern.configured) candidate.configured = true;
  else if (bound.bound === 'this' && w.scopes.at(-1)?.methods.has(call.name)) {
    const self = call.receiver?.text ?? w.syntax.self[0];
    candidate.dropped = {
      rule: 'own-method',
      why: `${self}.${call.name}() calls the class's own ${call.name} method, not a flag SDK (add { name: ${call.name} } to scan.calls if that method reads flags)`,
    };
  } else if (bound.bound === 'local') candidate.shadow = { local: true };
  w.facts.candidates.push(candidate);
}

/** A bare call of a function or method this file defines is its own; `this.x()` the class's. */
function binding(w: TreeWalk, call: CallShape): CallBinding {
  if (call.receiver) return { bound: w.syntax.self.includes(call.receiver.text) ? 'this' : 'member' };
  if (w.topFunctions.has(call.name) || w.scopes.some((scope) => scope.methods.has(call.name))) return { bound: 'local' };
  return { bound: 'global' };
}

/** What an expression is, as far as the file shows. */
function valueOf(w: TreeWalk, node: SyntaxNode): ValueExpr {
  const symbol = w.syntax.alias?.(node);
  if (symbol !== undefined) return { k: 'str', v: symbol, symbol: true };
  const literal = w.syntax.string(node);
  if (literal !== undefined) return { k: 'str', v: literal };
  const inner = w.syntax.inner(node);
  if (inner) return valueOf(w, inner);
  const parts = w.syntax.concat(node);
  if (parts) return { k: 'concat', parts: parts.map((part) => valueOf(w, part)) };
  const path = w.syntax.path(node);
  if (path) return pathValue(w, path, node);
  const call = w.syntax.call(node);
  // An enum entry's key read by its accessor: Flag.DARK.getKey(), Flag.DARK.key().
  const accessor = call && call.args.length === 0 && call.keywords.length === 0 && call.receiver && ENUM_KEY_ACCESSORS.has(call.name);
  const receiver = accessor ? w.syntax.path(call.receiver!) : undefined;
  if (receiver) return pathValue(w, [...receiver, call!.name], node);
  const short = node.text.replace(/\s+/g, ' ').slice(0, 40);
  if (call) return { k: 'opaque', why: `${short} is what a call returns` };
  return { k: 'opaque', why: w.syntax.strings.includes(node.type) ? `${short} is built at run time` : `${short} is known only at run time` };
}

/**
 * A name and what is read from it: a parameter or local of the enclosing function, a constant of
 * an enclosing class (`X` in the class that declares it, `self::X`), the file's own, an import, or
 * a type another file of the project declares (`Flags.NEW_CHECKOUT` with Flags in the same package
 * or namespace, or autoloaded).
 */
function pathValue(w: TreeWalk, [head, ...rest]: string[], node: SyntaxNode): ValueExpr {
  if (head === undefined) return { k: 'opaque', why: 'it is empty' };
  if (w.syntax.self.includes(head)) {
    const scope = w.scopes.at(-1);
    if (scope && rest[0] !== undefined && scope.members.has(rest[0])) return { k: 'ref', path: [...scope.path, ...rest] };
    return { k: 'opaque', why: `${node.text.slice(0, 40)} is a field of the object` };
  }
  const inFunction = nameInFunction(w.fn, head);
  if (inFunction) return rest.length === 0 ? inFunction : { k: 'get', of: inFunction, path: rest };
  for (let i = w.scopes.length - 1; i >= 0; i--) {
    if (w.scopes[i]!.members.has(head)) return { k: 'ref', path: [...w.scopes[i]!.path, head, ...rest] };
  }
  if (w.topNames.has(head) || w.facts.imports.has(head)) return { k: 'ref', path: [head, ...rest] };
  const member = w.memberImports.get(head);
  if (member) return { k: 'ref', path: [...member, ...rest] };
  // Constants and types start with a capital in every one of these languages; a lower-case name is a field or variable.
  if (!/^[A-Z]/.test(head)) return { k: 'opaque', why: `${head} is a field or variable, known only at run time` };
  w.facts.imports.set(head, { from: head, name: head });
  return { k: 'ref', path: [head, ...rest] };
}
