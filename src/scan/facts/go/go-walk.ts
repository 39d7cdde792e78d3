import type { ModuleFacts, ValueExpr } from '../../../core/lifecycle/scan/facts.js';
import type { CallPattern } from '../../../core/lifecycle/scan/patterns/patterns.js';
import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf, type EnclosingFunction, nameInFunction } from '../syntax-tree.js';

/** What one walk over a Go file knows. */
export interface GoWalk {
  text: string;
  facts: ModuleFacts;
  calls: ReadonlyMap<string, CallPattern>;
  /** Import path by the name the file uses for it. */
  packages: Map<string, string>;
  topFunctions: Set<string>;
  /** Package-level constants and variables this file declares (known before the walk: Go declares in any order). */
  declared: Set<string>;
  /** Types this file declares: calling one with a value converts it (`Key("x")`). */
  types: Set<string>;
  fn?: EnclosingFunction;
}

/**
 * A name another file provides: a constant of an imported package (`flags.NewCheckout`), or one
 * of this package's other files (Go shares package-level names between a folder's files). The
 * specifier carries the name (`<import path>#<name>`, `.` for this package), since a package is
 * a folder of files and the one that declares the name is found by it.
 */
export function packageName(w: GoWalk, from: string, name: string): ValueExpr {
  const local = from === '.' ? name : `${from}#${name}`;
  w.facts.imports.set(local, { from: `${from}#${name}`, name });
  return { k: 'ref', path: [local] };
}

/** The string a Go literal spells: "…" with its escapes, or `…` as written. */
export function stringValue(node: SyntaxNode): string | undefined {
  if (node.type === 'raw_string_literal') return node.text.slice(1, -1);
  if (node.type !== 'interpreted_string_literal') return undefined;
  try {
    return JSON.parse(node.text.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    return undefined;
  }
}

/** What an expression is, as far as the file shows. */
export function valueOf(w: GoWalk, node: SyntaxNode): ValueExpr {
  const literal = stringValue(node);
  if (literal !== undefined) return { k: 'str', v: literal };
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = childrenOf(node)[0];
      return inner ? valueOf(w, inner) : { k: 'opaque', why: 'it is empty' };
    }
    case 'identifier': {
      const name = node.text;
      const inside = nameInFunction(w.fn, name);
      if (inside) return inside;
      return w.declared.has(name) ? { k: 'ref', path: [name] } : packageName(w, '.', name);
    }
    case 'selector_expression': {
      const operand = node.childForFieldName('operand');
      const field = node.childForFieldName('field')?.text;
      const path = operand?.type === 'identifier' ? w.packages.get(operand.text) : undefined;
      if (path && field) return packageName(w, path, field);
      return { k: 'opaque', why: `${node.text.slice(0, 40)} is a field of a value` };
    }
    case 'binary_expression': {
      const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
      if (node.childForFieldName('operator')?.text === '+' && left && right) return { k: 'concat', parts: [valueOf(w, left), valueOf(w, right)] };
      return { k: 'opaque', why: `${node.text.slice(0, 40)} is computed` };
    }
    case 'call_expression': {
      // A conversion to a key type: string(flags.NewSearch), Key("new-search"), flags.Key("x").
      const converted = conversionOf(w, node);
      if (converted) return valueOf(w, converted);
      return { k: 'opaque', why: `${node.text.replace(/\s+/g, ' ').slice(0, 40)} is what a call returns` };
    }
    default:
      return { k: 'opaque', why: `${node.text.replace(/\s+/g, ' ').slice(0, 40)} is known only at run time` };
  }
}

/** The operand of a type conversion to string or to a named type (as Go writes `Key("x")`), if the call is one. */
function conversionOf(w: GoWalk, node: SyntaxNode): SyntaxNode | undefined {
  const callee = node.childForFieldName('function');
  const args = childrenOf(node.childForFieldName('arguments') ?? node);
  if (!callee || args.length !== 1) return undefined;
  const converts = callee.type === 'identifier'
    ? callee.text === 'string' || w.types.has(callee.text)
    : callee.type === 'selector_expression' && w.packages.has(callee.childForFieldName('operand')?.text ?? '') && /^[A-Z]/.test(callee.childForFieldName('field')?.text ?? '') && stringValue(args[0]!) !== undefined;
  return converts ? args[0] : undefined;
}
