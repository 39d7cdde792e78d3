import type { ModuleFacts, ValueExpr } from '../../../core/lifecycle/scan/facts.js';
import type { CallPattern } from '../../../core/lifecycle/scan/patterns/patterns.js';
import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf, type EnclosingFunction, nameInFunction } from '../syntax-tree.js';

/** What one walk over a Python file knows, and what every form asks of it. */
export interface PythonWalk {
  text: string;
  facts: ModuleFacts;
  calls: ReadonlyMap<string, CallPattern>;
  /** Functions the module defines at its top level: a bare call of one of them is the module's own. */
  topFunctions: Set<string>;
  /** The methods of each enclosing class: `self.is_enabled()` in a class with its own is_enabled is that method. */
  classes: Set<string>[];
  fn?: EnclosingFunction;
}

/** The string a literal spells, or undefined when it is not static (an f-string with a placeholder, bytes). */
export function stringValue(node: SyntaxNode): string | undefined {
  if (node.type === 'concatenated_string') {
    const parts = childrenOf(node).map(stringValue);
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (node.type !== 'string') return undefined;
  const start = node.child(0);
  if (start?.type === 'string_start' && /b/i.test(start.text)) return undefined;
  const raw = start?.type === 'string_start' && /r/i.test(start.text);
  let out = '';
  for (const part of childrenOf(node)) {
    if (part.type === 'interpolation') return undefined;
    if (part.type === 'string_content') out += part.text;
    else if (part.type === 'escape_sequence') out += raw ? part.text : unescape(part.text);
  }
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '\'': '\'', '"': '"', 0: '\0' };

function unescape(sequence: string): string {
  const hex = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))$/.exec(sequence);
  if (hex) return String.fromCodePoint(parseInt(hex[1] ?? hex[2] ?? hex[3]!, 16));
  return ESCAPES[sequence.slice(1)] ?? sequence;
}

/**
 * What an expression is, as far as the file shows: a string, a name (a module constant, an import,
 * an enum member), a parameter of the enclosing function, a concatenation, or opaque with why.
 */
export function valueOf(w: PythonWalk, node: SyntaxNode): ValueExpr {
  switch (node.type) {
    case 'string':
    case 'concatenated_string': {
      const value = stringValue(node);
      return value === undefined ? { k: 'opaque', why: 'it is an f-string or bytes, built at run time' } : { k: 'str', v: value };
    }
    case 'parenthesized_expression': {
      const inner = childrenOf(node)[0];
      return inner ? valueOf(w, inner) : { k: 'opaque', why: 'it is empty' };
    }
    case 'identifier': {
      const name = node.text;
      const inside = nameInFunction(w.fn, name);
      if (inside) return inside;
      return { k: 'ref', path: [name] };
    }
    case 'attribute': {
      const path = attributePath(node);
      if (!path || path[0] === 'self' || path[0] === 'cls') return { k: 'opaque', why: `${node.text} is an attribute of an object` };
      // An enum member's value: Flags.NEW.value is Flags.NEW's string.
      if (path.length >= 3 && path.at(-1) === 'value') path.pop();
      const local = w.fn?.locals.get(path[0]!);
      if (local) return { k: 'get', of: local, path: path.slice(1) };
      // A module imported by its dotted name: app.flags.NEW_CHECKOUT.
      for (let i = path.length - 1; i >= 2; i--) {
        const dotted = path.slice(0, i).join('.');
        if (w.facts.imports.has(dotted)) return { k: 'ref', path: [dotted, ...path.slice(i)] };
      }
      return { k: 'ref', path };
    }
    case 'binary_operator': {
      const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
      if (node.childForFieldName('operator')?.text === '+' && left && right) return { k: 'concat', parts: [valueOf(w, left), valueOf(w, right)] };
      return { k: 'opaque', why: `${node.text.slice(0, 40)} is computed` };
    }
    default: {
      const short = node.text.replace(/\s+/g, ' ').slice(0, 40);
      return { k: 'opaque', why: node.type === 'call' ? `${short} is what a call returns` : `${short} is known only at run time` };
    }
  }
}

/** `a.b.c` as names, or undefined when some part is not a name (a call, a subscript). */
export function attributePath(node: SyntaxNode): string[] | undefined {
  if (node.type === 'identifier') return [node.text];
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  const base = object && attributePath(object);
  return base && attribute ? [...base, attribute.text] : undefined;
}
