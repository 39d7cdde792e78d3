import type { ts as TS } from '@ts-morph/common';
import { ts } from './typescript.js';
import type { CallBinding, Candidate, ModuleFacts, ReferenceForm, ValueExpr, WrapperFact } from '../core/scan/facts.js';
import { type CallPattern, type JsxPattern, type ReferencePatterns, TOO_GENERIC_FOR_WRAPPERS } from '../core/scan/patterns.js';

/**
 * One source file → its facts, in one walk over the syntax tree. This works on the compiler
 * nodes that ts-morph exposes rather than its wrapped nodes: wrapping every node costs more
 * than the parse itself (see docs/benchmarks.md), and the scanner needs no type checker.
 */
export function analyseFile(file: string, text: string, patterns: ReferencePatterns): ModuleFacts {
  return new FileWalker(file, text, patterns).run();
}

const SCRIPT_KIND: Record<string, TS.ScriptKind> = {
  ts: ts.ScriptKind.TS,
  mts: ts.ScriptKind.TS,
  cts: ts.ScriptKind.TS,
  tsx: ts.ScriptKind.TSX,
  js: ts.ScriptKind.JS,
  mjs: ts.ScriptKind.JS,
  cjs: ts.ScriptKind.JS,
  jsx: ts.ScriptKind.JSX,
};

const K = ts.SyntaxKind;
const MAX_TEXT = 60;
/** A wrapper's key argument is looked for among the first arguments of other calls. */
const MAX_WRAPPER_ARGUMENTS = 6;
/** Calls that cannot be a wrapper defined in the code base: keeping their arguments would cost memory for nothing. */
const NEVER_WRAPPERS = new Set([
  ...TOO_GENERIC_FOR_WRAPPERS,
  'slice', 'splice', 'startsWith', 'endsWith', 'sort', 'reverse', 'concat', 'join', 'split', 'replace', 'replaceAll',
  'indexOf', 'lastIndexOf', 'match', 'matchAll', 'padStart', 'padEnd', 'repeat', 'trim', 'toFixed', 'forEach', 'reduce',
  'findIndex', 'flatMap', 'assign', 'keys', 'values', 'entries', 'fromEntries', 'stringify', 'parse', 'isArray', 'from',
  'max', 'min', 'floor', 'ceil', 'round', 'abs', 'setTimeout', 'setInterval', 'clearTimeout', 'expect', 'describe', 'it',
  'Number', 'String', 'Boolean', 'Symbol', 'Error', 'Promise', 'all', 'allSettled', 'race', 'charAt', 'charCodeAt', 'at',
  'unshift', 'shift', 'pop', 'fill', 'freeze', 'defineProperty', 'hasOwnProperty', 'toLowerCase', 'toUpperCase', 'substring',
]);

/** Why a parameter passed into a flag call by a function with a common name stays dynamic. */
export const tooCommon = (name: string, argument: number) =>
  `it is a parameter of ${name}(), a name too common for flagops to follow as a flag helper (add { name: ${name}, argument: ${argument} } to scan.calls if it is one)`;

/** Members every array, object or string has: `flags.length` on an array named flags is not a flag. */
const BUILTIN_MEMBERS = new Set([
  'length', 'map', 'filter', 'forEach', 'reduce', 'reduceRight', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every',
  'includes', 'indexOf', 'lastIndexOf', 'slice', 'splice', 'push', 'pop', 'shift', 'unshift', 'concat', 'join', 'sort', 'reverse',
  'flat', 'flatMap', 'keys', 'values', 'entries', 'at', 'fill', 'size', 'get', 'set', 'has', 'delete', 'clear', 'add', 'toString',
  'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'constructor', 'prototype', '__proto__',
  'then', 'catch', 'finally', 'toSorted', 'toReversed', 'toSpliced', 'with',
]);

type Scope = Map<string, ValueExpr>;

/** What the walker knows about an enclosing class: its methods, properties that hold arrays, and what each property holds. */
interface ClassInfo {
  methods: Set<string>;
  lists: Set<string>;
  props: Map<string, ValueExpr>;
}

/** The closure a named function returns goes by `name()`: calling what it returned reads a flag. */
const returnedName = (name: string) => `${name}()`;

class FileWalker {
  private readonly sf: TS.SourceFile;
  private readonly calls: Map<string, CallPattern>;
  private readonly hooks: Set<string>;
  private readonly maps: Set<string>;
  private readonly jsx: Map<string, JsxPattern[]>;
  private readonly scopes: Scope[] = [];
  private readonly classes: ClassInfo[] = [];
  /** Functions this file defines at its top level (hoisted: known before their declaration). */
  private readonly topFunctions = new Set<string>();
  /** Closures a named function returns, by their node: they go by that function's `name()`. */
  private readonly returned = new Map<TS.Node, { name: string; method: boolean }>();
  /** Hooks and maps the configuration names (not a preset only). */
  private readonly configured: Set<string>;
  /** A declaration file: everything in it is declared without a value. */
  private readonly ambientFile: boolean;
  private readonly facts: ModuleFacts;

  constructor(
    file: string,
    private readonly text: string,
    patterns: ReferencePatterns,
  ) {
    const ext = /\.([cm]?[jt]sx?)$/.exec(file)?.[1] ?? 'ts';
    this.sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, SCRIPT_KIND[ext] ?? ts.ScriptKind.TS);
    this.calls = new Map(patterns.calls.map((p) => [p.name, p]));
    this.hooks = new Set(patterns.hooks);
    this.maps = new Set(patterns.maps);
    this.configured = new Set(patterns.configured ?? []);
    this.ambientFile = /\.d\.[cm]?ts$/.test(file);
    this.jsx = new Map();
    for (const p of patterns.jsx) this.jsx.set(p.component, [...(this.jsx.get(p.component) ?? []), p]);
    this.facts = {
      file,
      lines: countLines(text),
      declarations: new Map(),
      imports: new Map(),
      exports: new Map(),
      starExports: [],
      candidates: [],
      wrappers: [],
      otherCalls: [],
      functions: [],
    };
  }

  run(): ModuleFacts {
    for (const statement of this.sf.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) this.topFunctions.add(statement.name.text);
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) {
          const init = d.initializer && unwrap(d.initializer);
          if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) this.topFunctions.add(d.name.text);
        }
      }
    }
    for (const statement of this.sf.statements) this.visit(statement);
    return this.facts;
  }

  private readonly visit = (node: TS.Node): void => {
    switch (node.kind) {
      case K.ImportDeclaration:
        return this.importDeclaration(node as TS.ImportDeclaration);
      case K.ExportDeclaration:
        return this.exportDeclaration(node as TS.ExportDeclaration);
      case K.ExportAssignment: {
        const expression = (node as TS.ExportAssignment).expression;
        this.facts.exports.set('default', { value: this.valueOf(expression) });
        // `export default (flag) => useFlag(flag)`: a wrapper by the name its importers reach it by.
        const fn = unwrap(expression);
        if (isFunctionNode(fn) && !(ts.isFunctionExpression(fn) && fn.name)) return this.fn(fn, 'default');
        return this.visit(expression);
      }
      case K.VariableStatement:
        return this.variableStatement(node as TS.VariableStatement);
      case K.EnumDeclaration:
        return this.enumDeclaration(node as TS.EnumDeclaration);
      case K.FunctionDeclaration:
      case K.ClassDeclaration: {
        const named = node as TS.FunctionDeclaration | TS.ClassDeclaration;
        if (named.name) {
          const ambient = this.isAmbient(named) || (ts.isFunctionDeclaration(named) && !named.body);
          const passes = ts.isFunctionDeclaration(named) ? returnsParam(named) : undefined;
          this.declare(
            named.name.text,
            { k: 'opaque', why: `${named.name.text} is not a constant`, ...(ambient ? { ambient: true as const } : {}), ...(passes !== undefined ? { returnsParam: passes } : {}) },
            named,
          );
        }
        // `export default function (flag) { … }` has no name of its own: importers reach it as default.
        const anonymousDefault = !named.name && hasModifier(named, K.DefaultKeyword);
        if (node.kind === K.FunctionDeclaration) return this.fn(named as TS.FunctionDeclaration, named.name?.text ?? (anonymousDefault ? 'default' : undefined));
        return this.inClass(named as TS.ClassDeclaration);
      }
      case K.ClassExpression:
        return this.inClass(node as TS.ClassExpression);
      case K.JsxOpeningElement:
      case K.JsxSelfClosingElement:
        this.jsxElement(node as TS.JsxOpeningLikeElement);
        return ts.forEachChild(node, this.visit);
      case K.BinaryExpression: {
        const binary = node as TS.BinaryExpression;
        if (binary.operatorToken.kind === K.EqualsToken) this.assignment(binary);
        return ts.forEachChild(node, this.visit);
      }
      case K.MethodDeclaration:
      case K.GetAccessor:
      case K.SetAccessor:
      case K.Constructor: {
        const method = node as TS.MethodDeclaration;
        return this.fn(method, method.name && ts.isIdentifier(method.name) ? method.name.text : undefined, true);
      }
      case K.ArrowFunction:
      case K.FunctionExpression:
        return this.fn(node as TS.FunctionExpression, (node as TS.FunctionExpression).name?.text);
      case K.PropertyAssignment: {
        const { name, initializer } = node as TS.PropertyAssignment;
        const init = unwrap(initializer);
        if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && ts.isIdentifier(name)) {
          return this.fn(init, name.text, true);
        }
        return ts.forEachChild(node, this.visit);
      }
      case K.Block:
      case K.ModuleBlock:
      case K.CaseBlock:
        return this.inScope(() => ts.forEachChild(node, this.visit));
      case K.ForStatement:
      case K.ForOfStatement:
      case K.ForInStatement:
      case K.CatchClause:
        return this.inScope(() => {
          const declared = ts.isCatchClause(node) ? node.variableDeclaration : (node as TS.ForStatement).initializer;
          const names = declared && ts.isVariableDeclarationList(declared) ? declared.declarations.map((d) => d.name) : [];
          if (declared && ts.isVariableDeclaration(declared)) names.push(declared.name);
          for (const id of names.flatMap(bindingNames)) this.scopes.at(-1)!.set(id, { k: 'opaque', why: `${id} is a loop or catch variable` });
          ts.forEachChild(node, this.visit);
        });
      case K.CallExpression:
        return this.callExpression(node as TS.CallExpression);
      case K.PropertyAccessExpression: {
        const access = node as TS.PropertyAccessExpression;
        if (this.isFlagsObject(access.expression) && ts.isIdentifier(access.name)) {
          const candidate = this.candidateOf(access.name, 'property', this.flagsObjectName(access.expression), { k: 'alias', name: access.name.text }, true);
          if (BUILTIN_MEMBERS.has(access.name.text)) candidate.builtin = true;
          this.facts.candidates.push(this.fromFlagsObject(candidate, access.expression));
        }
        return this.visit(access.expression);
      }
      case K.ElementAccessExpression: {
        const access = node as TS.ElementAccessExpression;
        if (this.isFlagsObject(access.expression)) {
          const candidate = this.candidateOf(
            access.argumentExpression,
            'element',
            this.flagsObjectName(access.expression),
            this.valueOf(access.argumentExpression),
            true,
          );
          this.facts.candidates.push(this.fromFlagsObject(candidate, access.expression));
        }
        return ts.forEachChild(node, this.visit);
      }
      default:
        return ts.forEachChild(node, this.visit);
    }
  };

  // ---- module structure -------------------------------------------------------------------

  private importDeclaration(node: TS.ImportDeclaration) {
    if (!ts.isStringLiteral(node.moduleSpecifier) || !node.importClause) return;
    const from = node.moduleSpecifier.text;
    const clause = node.importClause;
    if (clause.name) this.facts.imports.set(clause.name.text, { from, name: 'default' });
    const bindings = clause.namedBindings;
    if (!bindings) return;
    if (ts.isNamespaceImport(bindings)) {
      this.facts.imports.set(bindings.name.text, { from, name: '*' });
      return;
    }
    for (const element of bindings.elements) {
      this.facts.imports.set(element.name.text, { from, name: nameText(element.propertyName ?? element.name) });
    }
  }

  private exportDeclaration(node: TS.ExportDeclaration) {
    const from = node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
    const clause = node.exportClause;
    if (!clause) {
      if (from) this.facts.starExports.push(from);
      return;
    }
    if (ts.isNamespaceExport(clause)) {
      if (from) this.facts.exports.set(nameText(clause.name), { from, name: '*' });
      return;
    }
    for (const element of clause.elements) {
      const local = nameText(element.propertyName ?? element.name);
      this.facts.exports.set(nameText(element.name), from ? { from, name: local } : { local });
    }
  }

  private declare(name: string, value: ValueExpr, node: TS.Node) {
    const scope = this.scopes.at(-1);
    if (scope) {
      scope.set(name, value);
      return;
    }
    this.facts.declarations.set(name, value);
    if (hasModifier(node, K.ExportKeyword)) {
      this.facts.exports.set(hasModifier(node, K.DefaultKeyword) ? 'default' : name, { local: name });
    }
  }

  private variableStatement(node: TS.VariableStatement) {
    const isConst = (node.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of node.declarationList.declarations) {
      const init = declaration.initializer;
      const name = declaration.name;
      const required = init && requireSpecifier(unwrap(init));
      if (ts.isIdentifier(name) && required !== undefined && this.scopes.length === 0) {
        this.facts.imports.set(name.text, { from: required, name: '*' });
      } else if (ts.isIdentifier(name)) {
        const value = declaration.type && isListType(declaration.type)
          ? { k: 'opaque' as const, why: `${name.text} is a list`, list: true as const }
          : this.declaredValue(init, isConst, name.text, declaration.type, this.isAmbient(node));
        this.declare(name.text, value, node);
        const fnInit = init && unwrap(init);
        if (fnInit && (ts.isArrowFunction(fnInit) || ts.isFunctionExpression(fnInit))) {
          this.fn(fnInit, name.text);
          continue;
        }
      } else if (ts.isObjectBindingPattern(name)) {
        this.destructure(name, init, node, isConst);
      }
      if (init) this.visit(init);
    }
  }

  private declaredValue(init: TS.Expression | undefined, isConst: boolean, name: string, type: TS.TypeNode | undefined, ambient: boolean): ValueExpr {
    const typed = type && typeName(type);
    const origin = { ...(typed ? { typed } : {}), ...(ambient ? { ambient: true as const } : {}) };
    if (!init) return { k: 'opaque', why: ambient ? `${name} is declared without a value` : `${name} has no value`, ...origin };
    const bare = unwrap(init);
    if (ts.isCallExpression(bare)) {
      const hook = calleeName(bare);
      if (hook && this.hooks.has(hook)) return { k: 'map', via: hook, hook: this.valueOf(bare.expression) };
    }
    if (isList(bare)) return { k: 'opaque', why: `${name} is a list`, list: true };
    if (!isConst) return { k: 'opaque', why: `${name} is a variable, not a const`, ...origin, ...this.madeBy(bare) };
    const value = this.valueOf(init);
    if (value.k !== 'opaque') return value;
    const returned = this.returnedBy(bare);
    return { ...value, ...origin, ...(returned ? { returned } : {}) };
  }

  /** `const evaluate = useEvaluator()`: calling evaluate calls what useEvaluator() returned. */
  private returnedBy(node: TS.Expression): (CallBinding & { name: string }) | undefined {
    if (!ts.isCallExpression(node)) return undefined;
    const name = calleeName(node);
    if (name === undefined || NEVER_WRAPPERS.has(name)) return undefined;
    return { name: returnedName(name), ...this.binding(node.expression, name) };
  }

  /** What made a value that is not a constant: the callee of a call or the class of a `new`. */
  private madeBy(node: TS.Expression): { made?: ValueExpr } {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return {};
    const madeWith = (node.arguments ?? []).slice(0, 4).map((a) => this.originOf(a));
    return { made: this.originOf(node.expression), ...(madeWith.length > 0 ? { madeWith } : {}) };
  }

  /** `const { a, b: c } = <flags object or module value>`. */
  private destructure(pattern: TS.ObjectBindingPattern, init: TS.Expression | undefined, node: TS.Node, isConst: boolean) {
    const source = init && unwrap(init);
    const fromFlags = source !== undefined && (this.isFlagsObject(source) || this.isHookCall(source));
    const required = source && requireSpecifier(source);
    for (const element of pattern.elements) {
      if (element.dotDotDotToken || !ts.isIdentifier(element.name)) continue;
      const property = element.propertyName;
      if (fromFlags) {
        const via = this.flagsObjectName(source);
        const [keyNode, key]: [TS.Node, Candidate['key']] = property && ts.isComputedPropertyName(property)
          ? [property.expression, this.valueOf(property.expression)]
          : [property ?? element.name, { k: 'alias', name: nameText((property ?? element.name) as TS.PropertyName) }];
        this.facts.candidates.push(this.fromFlagsObject(this.candidateOf(keyNode, 'destructure', via, key, true), source));
        this.declare(element.name.text, { k: 'opaque', why: `${element.name.text} holds a flag value` }, node);
        continue;
      }
      const propertyName = property && !ts.isComputedPropertyName(property) ? nameText(property) : element.name.text;
      if (required !== undefined && this.scopes.length === 0) {
        this.facts.imports.set(element.name.text, { from: required, name: propertyName });
      } else if (isConst && source) {
        this.declare(element.name.text, { k: 'get', of: this.valueOf(source), path: [propertyName] }, node);
      } else {
        this.declare(element.name.text, { k: 'opaque', why: `${element.name.text} is a variable` }, node);
      }
    }
  }

  private enumDeclaration(node: TS.EnumDeclaration) {
    const props: [string, ValueExpr][] = [];
    for (const member of node.members) {
      const name = nameText(member.name);
      props.push([name, member.initializer ? this.valueOf(member.initializer) : { k: 'opaque', why: `${node.name.text}.${name} is a number` }]);
    }
    this.declare(node.name.text, { k: 'obj', props }, node);
  }

  // ---- functions and scopes ---------------------------------------------------------------

  private inScope(body: () => void) {
    this.scopes.push(new Map());
    try {
      body();
    } finally {
      this.scopes.pop();
    }
  }

  private fn(node: TS.SignatureDeclaration & { body?: TS.Node }, given: string | undefined, givenMethod = false) {
    // The closure a named function returns is named after it: `useEvaluator()`.
    const returned = this.returned.get(node);
    const name = returned?.name ?? given;
    const method = returned?.method ?? givenMethod;
    if (name !== undefined && node.body) {
      this.facts.functions.push([name, this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1]);
      if (!returned) for (const closure of returnedClosures(node)) this.returned.set(closure, { name: returnedName(name), method });
    }
    this.inScope(() => {
      const scope = this.scopes.at(-1)!;
      node.parameters.forEach((param, index) => {
        const typed = param.type && typeName(param.type);
        if (ts.isIdentifier(param.name) && param.type && isListType(param.type)) {
          scope.set(param.name.text, { k: 'opaque', why: `${param.name.text} is a list`, list: true });
        } else if (ts.isIdentifier(param.name)) {
          scope.set(
            param.name.text,
            param.dotDotDotToken
              ? { k: 'opaque', why: 'it is a rest parameter' }
              : { k: 'param', index, fn: name, ...(method ? { method: true as const } : {}), ...(typed ? { typed } : {}) },
          );
        } else {
          for (const id of bindingNames(param.name)) scope.set(id, { k: 'opaque', why: `${id} is a parameter` });
        }
        if (param.initializer) this.visit(param.initializer);
      });
      if (node.body) this.visit(node.body);
    });
  }

  private lookup(name: string): ValueExpr | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const found = this.scopes[i]!.get(name);
      if (found) return found;
    }
    return undefined;
  }

  // ---- references -------------------------------------------------------------------------

  private callExpression(node: TS.CallExpression) {
    let name = calleeName(node);
    let bound = name === undefined ? undefined : this.binding(node.expression, name);
    const matched = name === undefined ? undefined : this.calls.get(name);
    // this.isEnabled() in a class that defines isEnabled calls that method, not an SDK (unless the configuration says it is a flag call).
    const ownMethod = matched !== undefined && !matched.configured && bound?.bound === 'this' && this.classes.at(-1)?.methods.has(name!);
    const pattern = ownMethod ? undefined : matched;
    if (ownMethod) this.ownMethodCall(node, matched);
    if (!pattern) {
      // A call of what a call returned: `evaluate(key)` after `const evaluate = useEvaluator()`, or `useEvaluator()(key)`.
      const returned = this.returnedCallee(node.expression);
      if (returned) ({ name, ...bound } = returned);
    }
    if (pattern) {
      const arg = node.arguments[pattern.argument];
      if (arg) {
        const key = this.argumentValue(arg);
        if (key.k === 'param' && key.fn !== undefined) this.wrapper(key, pattern, arg);
        else {
          const candidate = this.candidateOf(arg, 'call', pattern.name, key, pattern.strict);
          candidate.origin = this.calleeOrigin(node.expression);
          if (pattern.configured) candidate.configured = true;
          else if (bound?.bound === 'import') candidate.shadow = { from: bound.from!.specifier, name: bound.from!.name };
          else if (bound?.bound === 'local' && this.definesFunction(name!)) candidate.shadow = { local: true };
          this.facts.candidates.push(candidate);
        }
      }
    } else if (name !== undefined && node.arguments.length > 0 && !(NEVER_WRAPPERS.has(name) && NEVER_WRAPPERS.has(bound?.from?.name ?? name))) {
      const args = node.arguments.slice(0, MAX_WRAPPER_ARGUMENTS).map((arg) => {
        if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg) || ts.isObjectLiteralExpression(arg)) return null;
        const key = this.argumentValue(arg);
        return key.k === 'obj' || key.k === 'map' ? null : this.candidateOf(arg, 'call', name, key, true);
      });
      this.facts.otherCalls.push({ name, args, ...bound! });
    }
    // The callee's own property name is a method, not a flag: only look inside its receiver.
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee)) this.visit(callee.expression);
    else this.visit(callee);
    for (const arg of node.arguments) this.visit(arg);
  }

  /** `this.isEnabled(…)` in a class with its own isEnabled: kept as a dropped candidate, for `--explain`. */
  private ownMethodCall(node: TS.CallExpression, pattern: CallPattern) {
    const arg = node.arguments[pattern.argument];
    const key = arg && this.argumentValue(arg);
    if (!arg || !key || key.k === 'param') return;
    const candidate = this.candidateOf(arg, 'call', pattern.name, key, pattern.strict);
    candidate.dropped = {
      rule: 'own-method',
      why: `this.${pattern.name}() calls the enclosing class's own ${pattern.name} method, not a flag SDK (add { name: ${pattern.name} } to scan.calls if that method reads flags)`,
    };
    this.facts.candidates.push(candidate);
  }

  /** The callee is what a named call returned: then the call goes by that call's `name()`. */
  private returnedCallee(callee: TS.Expression): (CallBinding & { name: string }) | undefined {
    const node = unwrap(callee);
    if (ts.isCallExpression(node)) return this.returnedBy(node);
    if (!ts.isIdentifier(node)) return undefined;
    const local = this.lookup(node.text) ?? this.facts.declarations.get(node.text);
    return local?.k === 'opaque' ? local.returned : undefined;
  }

  /** What a call's callee stands on: the receiver of a method, else the function itself. */
  private calleeOrigin(callee: TS.Expression): ValueExpr {
    const node = unwrap(callee);
    return ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? this.originOf(node.expression) : this.originOf(node);
  }

  /** A value as an origin: like valueOf, and `this.x` is what the class's property x holds. */
  private originOf(expression: TS.Expression): ValueExpr {
    const node = unwrap(expression);
    if (ts.isPropertyAccessExpression(node) && unwrap(node.expression).kind === K.ThisKeyword) {
      const held = this.classes.at(-1)?.props.get(node.name.text);
      return held ?? { k: 'opaque', why: `this.${node.name.text} is not a property flagops can see declared` };
    }
    if (ts.isPropertyAccessExpression(node) && !accessPath(node)) return this.originOf(node.expression);
    return this.valueOf(node);
  }

  /** A candidate read from a flags object: what made that object decides, and a configured map or hook is the user's word. */
  private fromFlagsObject(candidate: Candidate, expression: TS.Expression): Candidate {
    const node = unwrap(expression);
    const named = ts.isIdentifier(node)
      ? node.text
      : ts.isPropertyAccessExpression(node) ? node.name.text : ts.isCallExpression(node) ? calleeName(node) : undefined;
    const local = ts.isIdentifier(node) ? (this.lookup(node.text) ?? this.facts.declarations.get(node.text)) : undefined;
    const hook = local?.k === 'map' ? local.via : ts.isCallExpression(node) ? calleeName(node) : undefined;
    if ((named !== undefined && this.configured.has(named)) || (hook !== undefined && this.configured.has(hook))) candidate.configured = true;
    if (local?.k === 'map' && local.hook) candidate.origin = local.hook;
    else if (ts.isCallExpression(node)) candidate.origin = this.originOf(node.expression);
    else candidate.origin = this.originOf(node);
    return candidate;
  }

  private isAmbient(node: TS.Node): boolean {
    if (this.ambientFile || hasModifier(node, K.DeclareKeyword)) return true;
    for (let up = node.parent; up; up = up.parent) if (ts.isModuleDeclaration(up) && hasModifier(up, K.DeclareKeyword)) return true;
    return false;
  }

  /** How a call's callee is named: see OtherCall.bound. */
  private binding(callee: TS.Expression, name: string): CallBinding {
    if (ts.isPropertyAccessExpression(callee)) {
      const receiver = unwrap(callee.expression);
      return { bound: receiver.kind === K.ThisKeyword || receiver.kind === K.SuperKeyword ? 'this' : 'member' };
    }
    if (this.lookup(name) || this.facts.declarations.has(name) || this.topFunctions.has(name)) return { bound: 'local' };
    const imported = this.facts.imports.get(name);
    if (imported) return { bound: 'import', from: { specifier: imported.from, name: imported.name } };
    return { bound: 'global' };
  }

  /** The file defines a function of this name with a body (a `declare function` is only a type). */
  private definesFunction(name: string): boolean {
    return this.topFunctions.has(name) || this.facts.functions.some(([n]) => n === name);
  }

  private wrapper(key: { index: number; fn?: string; method?: true }, inner: CallPattern, at: TS.Node) {
    const { line, character } = this.sf.getLineAndCharacterOfPosition(at.getStart(this.sf));
    const fact: WrapperFact = {
      name: key.fn!,
      argument: key.index,
      strict: inner.strict,
      line: line + 1,
      column: character + 1,
      calls: inner.name,
      method: key.method === true,
    };
    if (!TOO_GENERIC_FOR_WRAPPERS.has(fact.name.replace(/\(\)$/, ''))) {
      this.facts.wrappers.push(fact);
      return;
    }
    this.candidate(at, 'call', inner.name, { k: 'opaque', why: tooCommon(fact.name.replace(/\(\)$/, ''), fact.argument) }, inner.strict);
  }

  private candidate(node: TS.Node, form: ReferenceForm, via: string, key: Candidate['key'], strict = true) {
    this.facts.candidates.push(this.candidateOf(node, form, via, key, strict));
  }

  private argumentValue(arg: TS.Expression): ValueExpr {
    if (ts.isSpreadElement(arg)) return { k: 'opaque', why: 'it is spread from a list' };
    return this.valueOf(arg);
  }

  private candidateOf(node: TS.Node, form: ReferenceForm, via: string, key: Candidate['key'], strict: boolean): Candidate {
    const start = node.getStart(this.sf);
    const from = this.sf.getLineAndCharacterOfPosition(start);
    const to = this.sf.getLineAndCharacterOfPosition(node.end);
    let text = this.text.slice(start, Math.min(node.end, start + MAX_TEXT * 4)).replace(/\s+/g, ' ');
    if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT - 1)}…`;
    return {
      line: from.line + 1,
      column: from.character + 1,
      endLine: to.line + 1,
      endColumn: to.character + 1,
      form,
      via,
      strict,
      key,
      text,
    };
  }

  private isHookCall(node: TS.Node): node is TS.CallExpression {
    if (!ts.isCallExpression(node)) return false;
    const name = calleeName(node);
    return name !== undefined && this.hooks.has(name);
  }

  /** A configured flags object, a variable holding a hook's result, or the hook call itself. */
  private isFlagsObject(expression: TS.Expression): boolean {
    const node = unwrap(expression);
    if (ts.isIdentifier(node)) {
      const local = this.lookup(node.text) ?? this.facts.declarations.get(node.text);
      if (local?.k === 'opaque' && local.list) return false;
      return this.maps.has(node.text) || local?.k === 'map';
    }
    if (ts.isPropertyAccessExpression(node)) {
      if (unwrap(node.expression).kind === K.ThisKeyword && this.classes.at(-1)?.lists.has(node.name.text)) return false;
      return this.maps.has(node.name.text);
    }
    return this.isHookCall(node);
  }

  // ---- classes, JSX, assignments ----------------------------------------------------------

  private inClass(node: TS.ClassLikeDeclaration) {
    const info: ClassInfo = { methods: new Set(), lists: new Set(), props: new Map() };
    for (const member of node.members) {
      const name = member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) ? member.name.text : undefined;
      if (name === undefined) continue;
      if (ts.isMethodDeclaration(member)) info.methods.add(name);
      else if (ts.isPropertyDeclaration(member)) {
        const init = member.initializer && unwrap(member.initializer);
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) info.methods.add(name);
        if ((member.type && isListType(member.type)) || (init && isList(init))) info.lists.add(name);
        info.props.set(name, this.declaredValue(member.initializer, true, `this.${name}`, member.type, this.isAmbient(member)));
      }
    }
    // Constructor parameter properties: `constructor(private flags: string[])`.
    for (const member of node.members) {
      if (!ts.isConstructorDeclaration(member)) continue;
      for (const p of member.parameters) {
        if (!ts.isIdentifier(p.name) || !ts.getModifiers(p)?.length) continue;
        if (p.type && isListType(p.type)) info.lists.add(p.name.text);
        const typed = p.type && typeName(p.type);
        info.props.set(p.name.text, { k: 'opaque', why: `this.${p.name.text} is given to the constructor`, ...(typed ? { typed } : {}) });
      }
    }
    this.classes.push(info);
    try {
      ts.forEachChild(node, this.visit);
    } finally {
      this.classes.pop();
    }
  }

  /** `<IfFeatureEnabled feature="new-ui">`: a configured component's key attribute. */
  private jsxElement(node: TS.JsxOpeningLikeElement) {
    const tag = node.tagName;
    const component = ts.isIdentifier(tag) ? tag.text : ts.isPropertyAccessExpression(tag) ? tag.name.text : undefined;
    const patterns = component === undefined ? undefined : this.jsx.get(component);
    if (!patterns) return;
    for (const pattern of patterns) {
      let found: TS.JsxAttribute | undefined;
      let spread: TS.JsxSpreadAttribute | undefined;
      for (const property of node.attributes.properties) {
        if (ts.isJsxSpreadAttribute(property)) spread = property;
        else if (ts.isIdentifier(property.name) && property.name.text === pattern.attribute) found = property;
      }
      if (!found) {
        // The key may come in through the spread; without one, the element does not read a flag.
        if (spread) this.candidate(spread, 'jsx', component!, { k: 'opaque', why: `${pattern.attribute} comes from a spread` }, pattern.strict);
        continue;
      }
      const init = found.initializer;
      const [at, key]: [TS.Node, ValueExpr] | [undefined, undefined] = !init
        ? [found, { k: 'opaque', why: `${pattern.attribute} has no value` }]
        : ts.isStringLiteral(init)
          ? [init, { k: 'str', v: init.text }]
          : ts.isJsxExpression(init) && init.expression
            ? [init.expression, this.valueOf(init.expression)]
            : [undefined, undefined];
      if (!at) continue;
      const candidate = this.candidateOf(at, 'jsx', component!, key, pattern.strict);
      candidate.origin = this.originOf(tag as TS.Expression);
      if (pattern.configured) candidate.configured = true;
      this.facts.candidates.push(candidate);
    }
  }

  /**
   * `FEATURES.X = 'x'` on a const object built empty, and CommonJS `exports.X = …`,
   * `module.exports = { … }`: the value becomes a property of that object, or an export.
   */
  private assignment(node: TS.BinaryExpression) {
    const path = accessPath(node.left);
    if (!path || path.length < 2) {
      return;
    }
    if (this.scopes.length === 0 && path[0] === 'module' && path[1] === 'exports') {
      const value = this.valueOf(node.right);
      if (path.length === 2) {
        this.facts.exports.set('default', { value });
        if (value.k === 'obj') for (const [name, v] of value.props) this.facts.exports.set(name, { value: v });
      } else if (path.length === 3) this.facts.exports.set(path[2]!, { value });
      return;
    }
    if (this.scopes.length === 0 && path[0] === 'exports' && path.length === 2 && !this.facts.declarations.has('exports')) {
      this.facts.exports.set(path[1]!, { value: this.valueOf(node.right) });
      return;
    }
    let target = this.lookup(path[0]!) ?? this.facts.declarations.get(path[0]!);
    for (const name of path.slice(1, -1)) {
      if (target?.k !== 'obj') return;
      target = target.props.find(([k]) => k === name)?.[1];
    }
    if (target?.k !== 'obj') return;
    const last = path.at(-1)!;
    const at = target.props.findIndex(([k]) => k === last);
    const value = this.valueOf(node.right);
    if (at < 0) target.props.push([last, value]);
    // Assigned twice: which value a reader sees depends on when it reads.
    else target.props[at] = [last, { k: 'opaque', why: `${path.join('.')} is assigned more than once` }];
  }

  /** How messages name the flags object: the hook call that made it, or the configured name. */
  private flagsObjectName(expression: TS.Expression): string {
    const node = unwrap(expression);
    if (ts.isIdentifier(node)) {
      const local = this.lookup(node.text);
      return local?.k === 'map' ? `${local.via}()` : node.text;
    }
    if (ts.isPropertyAccessExpression(node)) return node.name.text;
    if (ts.isCallExpression(node)) return `${calleeName(node) ?? 'flags'}()`;
    return 'flags';
  }

  // ---- values -----------------------------------------------------------------------------

  private valueOf(expression: TS.Expression): ValueExpr {
    const node = unwrap(expression);
    switch (node.kind) {
      case K.StringLiteral:
      case K.NoSubstitutionTemplateLiteral:
        return { k: 'str', v: (node as TS.StringLiteral).text };
      case K.TemplateExpression: {
        const template = node as TS.TemplateExpression;
        const parts: ValueExpr[] = [{ k: 'str', v: template.head.text }];
        for (const span of template.templateSpans) {
          parts.push(this.valueOf(span.expression), { k: 'str', v: span.literal.text });
        }
        return { k: 'concat', parts };
      }
      case K.BinaryExpression: {
        const binary = node as TS.BinaryExpression;
        if (binary.operatorToken.kind !== K.PlusToken) return { k: 'opaque', why: 'it is computed' };
        return { k: 'concat', parts: [this.valueOf(binary.left), this.valueOf(binary.right)] };
      }
      case K.Identifier:
      case K.PropertyAccessExpression:
      case K.ElementAccessExpression: {
        const path = accessPath(node);
        if (!path) return { k: 'opaque', why: 'it is computed' };
        const [head, ...rest] = path;
        const local = this.lookup(head!);
        if (!local) return { k: 'ref', path };
        return rest.length === 0 ? local : { k: 'get', of: local, path: rest };
      }
      case K.ObjectLiteralExpression: {
        const props: [string, ValueExpr][] = [];
        for (const property of (node as TS.ObjectLiteralExpression).properties) {
          if (ts.isPropertyAssignment(property)) {
            const name = staticPropertyName(property.name);
            if (name !== undefined) props.push([name, this.valueOf(property.initializer)]);
          } else if (ts.isShorthandPropertyAssignment(property)) {
            props.push([property.name.text, this.valueOf(property.name)]);
          }
        }
        return { k: 'obj', props };
      }
      case K.CallExpression: {
        const call = node as TS.CallExpression;
        // Object.freeze({ ... }) is how plain JavaScript spells `as const`.
        if (calleeName(call) === 'freeze' && call.arguments[0]) return this.valueOf(call.arguments[0]);
        return { k: 'opaque', why: 'it is the result of a call', ...this.madeBy(call) };
      }
      case K.NewExpression:
        return { k: 'opaque', why: 'it is made with new', ...this.madeBy(node as TS.NewExpression) };
      case K.ArrowFunction:
      case K.FunctionExpression: {
        const passes = returnsParam(node as TS.ArrowFunction);
        return { k: 'opaque', why: 'it is a function', ...(passes !== undefined ? { returnsParam: passes } : {}) };
      }
      default:
        return { k: 'opaque', why: 'it is computed at run time' };
    }
  }
}

/** The parameter a function returns as it came, cast or not (`return client as unknown as Typed`): a typed view of its argument. */
function returnsParam(fn: TS.SignatureDeclaration & { body?: TS.Node }): number | undefined {
  const names = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  const returned: TS.Expression[] = [];
  if (fn.body && !ts.isBlock(fn.body)) returned.push(fn.body as TS.Expression);
  else if (fn.body) {
    const walk = (node: TS.Node): void => {
      if (ts.isReturnStatement(node)) {
        if (node.expression) returned.push(node.expression);
        return;
      }
      if (!isFunctionNode(node) && !ts.isFunctionDeclaration(node) && !ts.isClassLike(node)) ts.forEachChild(node, walk);
    };
    ts.forEachChild(fn.body, walk);
  }
  let index: number | undefined;
  for (const expression of returned) {
    const node = unwrap(expression);
    const at = ts.isIdentifier(node) ? names.indexOf(node.text) : -1;
    if (at < 0 || (index !== undefined && index !== at)) return undefined;
    index = at;
  }
  return index;
}

function unwrap(expression: TS.Expression): TS.Expression {
  let node = expression;
  for (;;) {
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isTypeAssertionExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isAwaitExpression(node)
    ) {
      node = node.expression;
    } else return node;
  }
}

/** A type annotation's name as a value path (`Client`, `LD.LDClient`), for tying a receiver to the SDK that declares it. */
function typeName(type: TS.TypeNode): ValueExpr | undefined {
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const path: string[] = [];
  let name: TS.EntityName = type.typeName;
  while (ts.isQualifiedName(name)) {
    path.unshift(name.right.text);
    name = name.left;
  }
  path.unshift(name.text);
  return { k: 'ref', path };
}

const isFunctionNode = (node: TS.Node): node is TS.ArrowFunction | TS.FunctionExpression => ts.isArrowFunction(node) || ts.isFunctionExpression(node);

/**
 * The closures a function returns: `return (key) => …`, an arrow's body, React's
 * `useCallback((key) => …, deps)` and `useMemo(() => (key) => …, deps)`, or a local function
 * returned by name. Calling what such a function returned calls them.
 */
function returnedClosures(fn: TS.SignatureDeclaration & { body?: TS.Node }): TS.Node[] {
  const out: TS.Node[] = [];
  const locals = new Map<string, TS.Node>();
  const byName: string[] = [];
  const add = (expression: TS.Expression | undefined) => {
    if (!expression) return;
    let node = unwrap(expression);
    if (ts.isCallExpression(node) && node.arguments[0]) {
      const hook = calleeName(node);
      const first = unwrap(node.arguments[0]);
      if (hook === 'useCallback') node = first;
      else if (hook === 'useMemo' && isFunctionNode(first)) {
        out.push(...returnedClosures(first));
        return;
      }
    }
    if (isFunctionNode(node)) out.push(node);
    else if (ts.isIdentifier(node)) byName.push(node.text);
  };
  const body = fn.body;
  if (!body) return out;
  if (!ts.isBlock(body)) {
    add(body as TS.Expression);
    return out;
  }
  const walk = (node: TS.Node) => {
    if (ts.isReturnStatement(node)) return add(node.expression);
    if (ts.isFunctionDeclaration(node)) {
      if (node.name && node.body) locals.set(node.name.text, node);
      return;
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isFunctionNode(unwrap(node.initializer))) {
      locals.set(node.name.text, unwrap(node.initializer));
      return;
    }
    if (isFunctionNode(node) || ts.isClassLike(node)) return;
    ts.forEachChild(node, walk);
  };
  ts.forEachChild(body, walk);
  for (const name of byName) {
    const local = locals.get(name);
    if (local) out.push(local);
  }
  return out;
}

/** `a.b.c` or `a['b'].c` → ['a', 'b', 'c']; anything else → undefined. */
function accessPath(node: TS.Expression): string[] | undefined {
  const path: string[] = [];
  let current = unwrap(node);
  for (;;) {
    if (ts.isIdentifier(current)) {
      path.unshift(current.text);
      return path;
    }
    if (ts.isPropertyAccessExpression(current) && ts.isIdentifier(current.name)) {
      path.unshift(current.name.text);
    } else if (ts.isElementAccessExpression(current) && ts.isStringLiteralLike(current.argumentExpression)) {
      path.unshift(current.argumentExpression.text);
    } else return undefined;
    current = unwrap(current.expression);
  }
}

/** An array literal or a call that makes one: `[]`, `new Array()`, `Array.from(…)`, `Array.of(…)`. */
function isList(node: TS.Expression): boolean {
  if (ts.isArrayLiteralExpression(node)) return true;
  if (ts.isNewExpression(node)) return ts.isIdentifier(node.expression) && node.expression.text === 'Array';
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const { expression, name } = node.expression;
    return ts.isIdentifier(expression) && expression.text === 'Array' && (name.text === 'from' || name.text === 'of');
  }
  return false;
}

/** `T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`, tuples. */
function isListType(type: TS.TypeNode): boolean {
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type)) return true;
  if (ts.isTypeOperatorNode(type)) return isListType(type.type);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) return ['Array', 'ReadonlyArray'].includes(type.typeName.text);
  return false;
}

function calleeName(node: TS.CallExpression): string | undefined {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) return callee.name.text;
  return undefined;
}

function requireSpecifier(node: TS.Expression): string | undefined {
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'require') return undefined;
  const arg = node.arguments[0];
  return arg && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

function staticPropertyName(name: TS.PropertyName): string | undefined {
  if (ts.isComputedPropertyName(name)) {
    return ts.isStringLiteralLike(name.expression) ? name.expression.text : undefined;
  }
  return nameText(name);
}

function nameText(name: TS.PropertyName | TS.ModuleExportName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text;
  }
  return '';
}

function bindingNames(name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) out.push(...bindingNames(element.name));
  }
  return out;
}

function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

function countLines(text: string): number {
  let lines = 1;
  let at = text.indexOf('\n');
  while (at !== -1) {
    lines++;
    at = text.indexOf('\n', at + 1);
  }
  return lines;
}
