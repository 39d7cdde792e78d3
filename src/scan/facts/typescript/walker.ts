import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import { type CallBinding, type Candidate, emptyFacts, type ModuleFacts, type ReferenceForm, type ValueExpr } from '../../../core/lifecycle/scan/facts.js';
import { type CallPattern, callsIn, type JsxPattern, type ReferencePatterns } from '../../../core/lifecycle/scan/patterns/patterns.js';
import { accessPath, bindingNames, calleeName, hasModifier, isListType, K, returnedClosures, returnedName, returnsParam, staticPropertyName, typeName, unwrap } from './syntax.js';
import { MAX_TEXT, NEVER_WRAPPERS } from './names.js';

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

export type Scope = Map<string, ValueExpr>;

/** What the walker knows about an enclosing class: its methods, properties that hold arrays, and what each property holds. */
export interface ClassInfo {
  methods: Set<string>;
  lists: Set<string>;
  props: Map<string, ValueExpr>;
}

/**
 * What one walk over a file knows: the patterns, the scopes and classes it is in, and the facts so
 * far; and what every reference form asks of it (a name's value, a candidate at a node). The forms
 * are in files of their own; `visit` hands each node to its form (analyse-file.ts).
 */
export class FileWalker {
  readonly sf: TS.SourceFile;
  readonly calls: ReadonlyMap<string, CallPattern>;
  readonly hooks: Set<string>;
  readonly maps: Set<string>;
  readonly jsx: Map<string, JsxPattern[]>;
  readonly scopes: Scope[] = [];
  readonly classes: ClassInfo[] = [];
  /** Functions this file defines at its top level (hoisted: known before their declaration). */
  readonly topFunctions = new Set<string>();
  /** Closures a named function returns, by their node: they go by that function's `name()`. */
  readonly returned = new Map<TS.Node, { name: string; method: boolean }>();
  /** Hooks and maps the configuration names (not a preset only). */
  readonly configured: Set<string>;
  /** A declaration file: everything in it is declared without a value. */
  readonly ambientFile: boolean;
  readonly facts: ModuleFacts;
  readonly visit: (node: TS.Node) => void;

  constructor(
    file: string,
    private readonly text: string,
    patterns: ReferencePatterns,
    dispatch: (walker: FileWalker, node: TS.Node) => void,
  ) {
    this.visit = (node) => dispatch(this, node);
    const ext = /\.([cm]?[jt]sx?)$/.exec(file)?.[1] ?? 'ts';
    this.sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, SCRIPT_KIND[ext] ?? ts.ScriptKind.TS);
    this.calls = callsIn(patterns, 'typescript');
    this.hooks = new Set(patterns.hooks);
    this.maps = new Set(patterns.maps);
    this.configured = new Set(patterns.configured ?? []);
    this.ambientFile = /\.d\.[cm]?ts$/.test(file);
    this.jsx = new Map();
    for (const p of patterns.jsx) this.jsx.set(p.component, [...(this.jsx.get(p.component) ?? []), p]);
    this.facts = emptyFacts(file, text);
  }

  declare(name: string, value: ValueExpr, node: TS.Node) {
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

  /** `const evaluate = useEvaluator()`: calling evaluate calls what useEvaluator() returned. */
  returnedBy(node: TS.Expression): (CallBinding & { name: string }) | undefined {
    if (!ts.isCallExpression(node)) return undefined;
    const name = calleeName(node);
    if (name === undefined || NEVER_WRAPPERS.has(name)) return undefined;
    return { name: returnedName(name), ...this.binding(node.expression, name) };
  }

  /** What made a value that is not a constant: the callee of a call or the class of a `new`. */
  madeBy(node: TS.Expression): { made?: ValueExpr } {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return {};
    const madeWith = (node.arguments ?? []).slice(0, 4).map((a) => this.originOf(a));
    return { made: this.originOf(node.expression), ...(madeWith.length > 0 ? { madeWith } : {}) };
  }

  inScope(body: () => void) {
    this.scopes.push(new Map());
    try {
      body();
    } finally {
      this.scopes.pop();
    }
  }

  fn(node: TS.SignatureDeclaration & { body?: TS.Node }, given: string | undefined, givenMethod = false) {
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

  lookup(name: string): ValueExpr | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const found = this.scopes[i]!.get(name);
      if (found) return found;
    }
    return undefined;
  }

  // ---- references -------------------------------------------------------------------------

  /** A value as an origin: like valueOf, and `this.x` is what the class's property x holds. */
  originOf(expression: TS.Expression): ValueExpr {
    const node = unwrap(expression);
    if (ts.isPropertyAccessExpression(node) && unwrap(node.expression).kind === K.ThisKeyword) {
      const held = this.classes.at(-1)?.props.get(node.name.text);
      return held ?? { k: 'opaque', why: `this.${node.name.text} is not a property flagops can see declared` };
    }
    if (ts.isPropertyAccessExpression(node) && !accessPath(node)) return this.originOf(node.expression);
    return this.valueOf(node);
  }

  isAmbient(node: TS.Node): boolean {
    if (this.ambientFile || hasModifier(node, K.DeclareKeyword)) return true;
    for (let up = node.parent; up; up = up.parent) if (ts.isModuleDeclaration(up) && hasModifier(up, K.DeclareKeyword)) return true;
    return false;
  }

  /** How a call's callee is named: see OtherCall.bound. */
  binding(callee: TS.Expression, name: string): CallBinding {
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
  definesFunction(name: string): boolean {
    return this.topFunctions.has(name) || this.facts.functions.some(([n]) => n === name);
  }

  candidate(node: TS.Node, form: ReferenceForm, via: string, key: Candidate['key'], strict = true) {
    this.facts.candidates.push(this.candidateOf(node, form, via, key, strict));
  }

  argumentValue(arg: TS.Expression): ValueExpr {
    if (ts.isSpreadElement(arg)) return { k: 'opaque', why: 'it is spread from a list' };
    return this.valueOf(arg);
  }

  candidateOf(node: TS.Node, form: ReferenceForm, via: string, key: Candidate['key'], strict: boolean): Candidate {
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

  valueOf(expression: TS.Expression): ValueExpr {
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
