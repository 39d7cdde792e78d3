import type { Candidate, DropRule, ExportBinding, ModuleFacts, ReferenceForm, ValueExpr } from '../facts.js';
import type { AliasIndex } from '../../../definition/key-aliases.js';

/** The adapter's view of the code base: facts per file (parsed on demand) and import resolution. */
export interface ModuleGraph {
  facts(file: string): ModuleFacts | undefined;
  /** The file an import specifier names, or undefined for packages and files that do not exist. */
  resolveImport(specifier: string, fromFile: string): string | undefined;
}

export type ReferenceKind = ReferenceForm | 'wrapper' | 'dynamic';

/** Where a candidate is, and what it reads: shared by references and dropped candidates. */
interface Read {
  /** The flag key; null when it did not resolve (a dynamic reference). */
  flag: string | null;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  kind: ReferenceKind;
  /** The call, hook or map it goes through. */
  via: string;
}

export interface Reference extends Read {
  /** The key expression as written, when it is not a plain string. */
  expression?: string;
  /** Why a dynamic key cannot be resolved. */
  reason?: string;
  /** The key resolved to a string that no flag has, or a property name no flag aliases. */
  undefinedKey?: boolean;
  /** Why the scan cannot tie this read to a flag SDK or to a configured or inferred wrapper: cleanup leaves it alone. */
  untied?: string;
}

/** A candidate a precision rule dropped: not a reference, and listed by `flagops scan --explain`. */
export interface Dropped extends Read {
  expression: string;
  rule: DropRule;
  why: string;
}

type Resolved =
  | { s: string; symbol?: true }
  | { obj: [string, ValueExpr][]; file: string }
  | { ns: string }
  | { opaque: string };

const MAX_DEPTH = 40;

/**
 * How code reads the key an enum entry was given (`Flag.DARK_MODE.key()` in Java,
 * `Flag.DARK.key` in Kotlin, `Flag::Dark->value` in PHP): an entry is held as its string, so
 * one of these read last from a string is that string.
 */
export const ENUM_KEY_ACCESSORS: ReadonlySet<string> = new Set(['value', 'key', 'getKey', 'getValue', 'flagKey', 'getFlagKey']);

/** Resolves values by following consts, objects, enums, imports and re-exports across files. */
export class KeyResolver {
  constructor(private readonly graph: ModuleGraph) {}

  value(expr: ValueExpr, file: string, depth = 0): Resolved {
    if (depth > MAX_DEPTH) return { opaque: 'its definition is circular or nested too deeply' };
    switch (expr.k) {
      case 'str':
        return expr.symbol ? { s: expr.v, symbol: true } : { s: expr.v };
      case 'obj':
        return { obj: expr.props, file };
      case 'concat': {
        let out = '';
        for (const part of expr.parts) {
          const r = this.value(part, file, depth + 1);
          if (!('s' in r)) return 'opaque' in r ? r : { opaque: 'part of it is not a string' };
          out += r.s;
        }
        return { s: out };
      }
      case 'ref':
        return this.path(expr.path, file, depth + 1);
      case 'get':
        return this.member(this.value(expr.of, file, depth + 1), expr.path, depth + 1);
      case 'param':
        return { opaque: `it is a parameter of ${expr.fn ? `${expr.fn}()` : 'an anonymous function'}` };
      case 'map':
        return { opaque: `it is the flags object from ${expr.via}()` };
      case 'opaque':
        return { opaque: expr.why };
    }
  }

  private path([head, ...rest]: string[], file: string, depth: number): Resolved {
    const facts = this.graph.facts(file);
    if (!facts || head === undefined) return { opaque: `${file} could not be read` };
    const declared = facts.declarations.get(head);
    let current: Resolved;
    if (declared) current = this.value(declared, file, depth + 1);
    else {
      const binding = facts.imports.get(head);
      if (!binding) return this.member(this.starImported(facts.starImports, head, file, depth + 1), rest, depth);
      const target = this.graph.resolveImport(binding.from, file);
      if (!target) return { opaque: `${head} comes from "${binding.from}", which flagops does not read` };
      current = binding.name === '*' ? { ns: target } : this.exported(target, binding.name, depth + 1);
      if ('opaque' in current && binding.orModule !== undefined) {
        const module = this.graph.resolveImport(binding.orModule, file);
        if (module) current = { ns: module };
      }
    }
    return this.member(current, rest, depth);
  }

  /** A name no declaration or import binds may come from a module imported whole (`from app.flags import *`). */
  private starImported(from: readonly string[], name: string, file: string, depth: number): Resolved {
    for (const specifier of from) {
      const target = this.graph.resolveImport(specifier, file);
      const found = target === undefined ? undefined : this.exported(target, name, depth + 1);
      if (found && !('opaque' in found)) return found;
    }
    return { opaque: `${name} is not a constant flagops can see` };
  }

  private member(start: Resolved, path: readonly string[], depth: number): Resolved {
    let current = start;
    for (const [i, name] of path.entries()) {
      if ('s' in current && i === path.length - 1 && ENUM_KEY_ACCESSORS.has(name)) return current;
      if ('obj' in current) {
        const entry = current.obj.find(([k]) => k === name);
        if (!entry) return { opaque: `it has no property ${name}` };
        current = this.value(entry[1], current.file, depth + 1);
      } else if ('ns' in current) {
        current = this.exported(current.ns, name, depth + 1);
      } else if ('opaque' in current) {
        return current;
      } else return { opaque: `a string has no property ${name}` };
    }
    return current;
  }

  private exported(file: string, name: string, depth: number, seen = new Set<string>()): Resolved {
    if (depth > MAX_DEPTH || seen.has(file)) return { opaque: 'its exports are circular' };
    seen.add(file);
    const facts = this.graph.facts(file);
    if (!facts) return { opaque: `${file} could not be read` };
    const binding: ExportBinding | undefined = facts.exports.get(name);
    if (binding) {
      if ('local' in binding) return this.path([binding.local], file, depth + 1);
      if ('value' in binding) return this.value(binding.value, file, depth + 1);
      const target = this.graph.resolveImport(binding.from, file);
      if (!target) return { opaque: `it is re-exported from "${binding.from}", which flagops does not read` };
      return binding.name === '*' ? { ns: target } : this.exported(target, binding.name, depth + 1, seen);
    }
    // A CommonJS module (`exports.X = …`) imported by default is its exports object.
    if (name === 'default') return { ns: file };
    {
      for (const from of facts.starExports) {
        const target = this.graph.resolveImport(from, file);
        if (!target) continue;
        const found = this.exported(target, name, depth + 1, seen);
        if (!('opaque' in found)) return found;
      }
    }
    return { opaque: `${file} does not export ${name}` };
  }
}

/**
 * Turns one file's candidates into references: keys resolved, aliases looked up, dynamic keys
 * kept. What a precision rule drops goes to `dropped`, with the key it resolved to.
 */
export function resolveCandidates(
  facts: ModuleFacts,
  candidates: readonly Candidate[],
  resolver: KeyResolver,
  aliases: AliasIndex,
  defined: ReadonlySet<string>,
  wrapperNames: ReadonlySet<string>,
  dropped: Dropped[],
): Array<{ reference: Reference; candidate: Candidate }> {
  const out: Array<{ reference: Reference; candidate: Candidate }> = [];
  for (const c of candidates) {
    const at = { file: facts.file, line: c.line, column: c.column, endLine: c.endLine, endColumn: c.endColumn, via: c.via };
    const kind: ReferenceKind = c.form === 'call' && (c.wrapped || wrapperNames.has(c.via)) ? 'wrapper' : c.form;
    const plain = c.key.k === 'str' && !c.key.symbol ? {} : { expression: c.text };
    const drop = (flag: string | null, rule: DropRule, why: string) =>
      dropped.push({ flag, ...at, kind, expression: c.text, rule, why });
    const keep = (reference: Reference) => {
      if (c.dropped) drop(reference.flag, c.dropped.rule, c.dropped.why);
      else out.push({ reference, candidate: c });
    };
    if (c.key.k === 'alias') {
      const flag = aliases.lookup(c.key.name);
      if (!flag && c.builtin && !c.dropped) {
        drop(null, 'builtin-member', `${c.key.name} is a member every object or array has, and no flag is named so`);
        continue;
      }
      const written = flag !== c.key.name ? { expression: c.text } : {};
      keep({ flag: flag ?? c.key.name, ...at, kind, ...written, ...(flag ? {} : { undefinedKey: true }) });
      continue;
    }
    const resolved = resolver.value(c.key, facts.file);
    if ('s' in resolved) {
      // Element access on a flags object, and a symbol, may use either the key or its alias.
      const flag = c.form === 'call' && !resolved.symbol ? resolved.s : (aliases.lookup(resolved.s) ?? resolved.s);
      const known = defined.has(flag);
      if (!known && !c.strict && !c.dropped) {
        drop(flag, 'not-a-flag', `${c.via}() is a lenient pattern (a name common outside flag code): only keys of defined flags count, and no flag is "${flag}"`);
        continue;
      }
      keep({ flag, ...at, kind, ...plain, ...(known ? {} : { undefinedKey: true }) });
      continue;
    }
    const reason = 'opaque' in resolved ? resolved.opaque : 'it is an object, not a string';
    if (!c.strict && !c.dropped) {
      drop(null, 'not-a-flag', `${c.via}() is a lenient pattern: a key flagops cannot resolve (${reason}) is taken for someone else's call`);
      continue;
    }
    keep({ flag: null, ...at, kind: 'dynamic', expression: c.text, reason });
  }
  return out;
}
