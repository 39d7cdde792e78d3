import type { ScanLanguage } from '../../../core/definition/config-choices.js';
import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf } from '../syntax-tree.js';

/**
 * How one language's syntax tree writes what the scanner looks for. A language of classes and
 * constants (Java, Kotlin, C#, Ruby, PHP) is one such description: the walk that turns it into
 * facts (tree-walk.ts) is shared. Each method looks at one node and answers for it alone; the walk
 * decides what it means where it is.
 */
export interface TreeSyntax {
  language: ScanLanguage;
  /** The grammar's name in tree-sitter-wasms. */
  grammar: string;
  /** The node types container, fn, declares and call each answer for: the nodes the walk visits. */
  kinds: { containers: readonly string[]; functions: readonly string[]; declarations: readonly string[]; calls: readonly string[] };
  /** Node types of string literals (and of Ruby's symbols): what `--explain` lists. */
  strings: readonly string[];
  /** The string a literal spells, when it is static (no interpolation). */
  string(node: SyntaxNode): string | undefined;
  /**
   * A name that stands for a key through a case conversion (`:new_checkout` for new-checkout,
   * `nameof(Features.NewCheckout)`), matched as flag maps' property names are.
   */
  alias?(node: SyntaxNode): string | undefined;
  call(node: SyntaxNode): CallShape | undefined;
  /** A function, method or lambda with a body (everything inside it is in it). */
  fn(node: SyntaxNode): FunctionShape | undefined;
  /** A class, interface, object, enum or module: a holder of constants. */
  container(node: SyntaxNode): ContainerShape | undefined;
  /** A namespace or package block whose members are at the level it is at. */
  namespaceBody?(node: SyntaxNode): SyntaxNode | undefined;
  /** Names a declaration or assignment binds, each with its value, and whether it stays as assigned. */
  declares(node: SyntaxNode): Declared | undefined;
  imports(node: SyntaxNode): Imported[] | undefined;
  /** A name or a member path (`Flags.NEW`, `Flags::NEW`, `Flag::X->value`) as names, else undefined. */
  path(node: SyntaxNode): string[] | undefined;
  /** The expression inside a wrapper that does not change the value: parentheses, await, `.freeze`, an argument node. */
  inner(node: SyntaxNode): SyntaxNode | undefined;
  /** The operands of a string concatenation. */
  concat(node: SyntaxNode): SyntaxNode[] | undefined;
  /** How code names the object it is in (`this`, `self`, `$this`, `static`). */
  self: readonly string[];
}

export interface CallShape {
  name: string;
  /** The object the method is called on; undefined for a bare call. */
  receiver?: SyntaxNode;
  args: SyntaxNode[];
  /** Named arguments: `flag_key: "x"`, `flagKey: "x"`, `key = "x"`. */
  keywords: [string, SyntaxNode][];
}

export interface FunctionShape {
  /** Undefined for a lambda: its parameters make no wrapper. */
  name?: string;
  /** Each positional parameter's name; undefined where the parameter is not a plain name. */
  params: (string | undefined)[];
}

export interface ContainerShape {
  /** Undefined for a companion object: its members are the enclosing class's. */
  name?: string;
  /** The nodes directly in its body. */
  members: SyntaxNode[];
  /** Enum entries with their argument (`DARK("dark-mode")`, `case Dark = 'dark'`), when written. */
  entries?: [name: string, value: SyntaxNode | undefined][];
}

export interface Declared {
  names: [name: string, value: SyntaxNode | undefined][];
  /** `final`, `const`, `readonly`, a Ruby constant: what the file writes is what it holds. */
  constant: boolean;
}

/** `import com.acme.flags.Flags`, `use App\Flags as F`: a local name for a qualified one. */
export interface Imported {
  local: string;
  /** The qualified name, its parts as written. */
  qualified: string[];
  /** It names a member of a type (Java's `import static a.Keys.X`), not a type. */
  member?: boolean;
}

/** Named children of a node type. */
export const named = (node: SyntaxNode, ...types: string[]): SyntaxNode[] => childrenOf(node).filter((c) => types.includes(c.type));

export const firstNamed = (node: SyntaxNode, ...types: string[]): SyntaxNode | undefined => named(node, ...types)[0];

/**
 * A call's argument nodes as positional arguments and named ones: `labelOf` says an argument's
 * name node, if it has one (`flagKey:`, `key =`); its value is the last node after it.
 */
export function splitArguments(argumentNodes: readonly SyntaxNode[], labelOf: (argument: SyntaxNode) => SyntaxNode | undefined): Pick<CallShape, 'args' | 'keywords'> {
  const args: SyntaxNode[] = [];
  const keywords: [string, SyntaxNode][] = [];
  for (const argument of argumentNodes) {
    const label = labelOf(argument);
    const value = childrenOf(argument).filter((c) => c.id !== label?.id).at(-1);
    if (!value) continue;
    if (label) keywords.push([label.text.replace(/\s*[:=]\s*$/, ''), value]);
    else args.push(value);
  }
  return { args, keywords };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0', e: '\x1b', s: ' ' };

/**
 * The value of a quoted literal read from its text: `"…"` or `'…'` with backslash escapes. `raw`
 * keeps backslashes (a C# verbatim string, where `""` is a quote); `only` lists the characters a
 * backslash escapes (PHP and Ruby single quotes: `\\` and `\'`).
 */
export function unquote(text: string, options: { raw?: boolean; only?: string } = {}): string | undefined {
  const quote = text[0];
  if ((quote !== '"' && quote !== '\'') || text.length < 2 || text.at(-1) !== quote) return undefined;
  const body = text.slice(1, -1);
  if (options.raw) return body.replaceAll(`${quote}${quote}`, quote);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i === body.length - 1) {
      out += c;
      continue;
    }
    const next = body[++i]!;
    if (options.only !== undefined) {
      out += options.only.includes(next) ? next : `\\${next}`;
      continue;
    }
    const hex = /^(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/.exec(body.slice(i));
    if (hex) {
      out += String.fromCodePoint(parseInt(hex[1] ?? hex[2] ?? hex[3]!, 16));
      i += hex[0].length - 1;
    } else out += ESCAPES[next] ?? next;
  }
  return out;
}
