/**
 * What the scanner learns from one source file, as plain data: the parser runs once per file
 * (possibly in a worker), and everything after it — following imports, resolving keys, the
 * lifecycle findings — works on these facts alone.
 */

/** A value as written in the source, resolved later against the module graph. */
export type ValueExpr =
  /** `symbol`: a name standing for a key through a case conversion (Ruby's :new_checkout, C#'s nameof(Features.NewCheckout)). */
  | { k: 'str'; v: string; symbol?: true }
  /** A name in module scope (a const, an enum, an import), followed by property names. */
  | { k: 'ref'; path: string[] }
  /** Property names read from another value: `LOCAL_FLAGS.NEW` where LOCAL_FLAGS is local. */
  | { k: 'get'; of: ValueExpr; path: string[] }
  | { k: 'obj'; props: [string, ValueExpr][] }
  /** Template literals and `+`: static when every part is. */
  | { k: 'concat'; parts: ValueExpr[] }
  /**
   * A parameter of the enclosing function: what makes a wrapper. `fn` is `name()` for the closure a
   * function named `name` returns. `typed`: its type annotation's name.
   */
  | { k: 'param'; index: number; fn?: string; method?: true; typed?: ValueExpr }
  /** A variable holding a flags object from a hook: `const flags = useFlags()`; `hook`: the hook as written. */
  | { k: 'map'; via: string; hook?: ValueExpr }
  /**
   * Anything else: why it cannot be known without running the code. `list`: the file shows it is
   * an array. `made`: the function or class that made it (`createFlagClient(…)`, `new GrowthBook()`),
   * `typed`: the type it is declared with, `ambient`: declared without a value (`declare const`, a
   * type stub for an SDK): what ties a receiver to a flag SDK. `returned`: it holds what a call of
   * that name returned, which may be a flag-reading closure (`const evaluate = useEvaluator()`).
   */
  | {
    k: 'opaque';
    why: string;
    list?: true;
    made?: ValueExpr;
    /** The first arguments of the call that made it, as origins: a typed view (`typedFlags(client)`) is its argument. */
    madeWith?: ValueExpr[];
    typed?: ValueExpr;
    ambient?: true;
    returned?: CallBinding & { name: string };
    /** A function that returns this parameter as it came (`return client as Typed`): calling it gives its argument. */
    returnsParam?: number;
  };

export interface ImportBinding {
  from: string;
  /** The exported name, `default`, or `*` for the whole module. */
  name: string;
  /** Where the module exports no such name, the module it may be instead (Python's `from app.flags import names`). */
  orModule?: string;
}

export type ExportBinding = { local: string } | ImportBinding | { value: ValueExpr };

export type ReferenceForm = 'call' | 'destructure' | 'property' | 'element' | 'jsx';

/** A place that reads a flag, with its key still unresolved. */
export interface Candidate {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  form: ReferenceForm;
  /** The call, hook or map it goes through. */
  via: string;
  strict: boolean;
  /** `alias`: a property name, matched to a key as written or through a case conversion. */
  key: ValueExpr | { k: 'alias'; name: string };
  /** The key expression as written (shortened), for messages. */
  text: string;
  /** A property name that every array or object has (`length`, `map`): a flag only if one is named so. */
  builtin?: true;
  /**
   * A bare call of a built-in pattern's name that the file binds itself: declared here, or imported
   * (from this specifier). If that is the project's own function, it is not the SDK's.
   */
  shadow?: { local: true } | { from: string; name: string };
  /**
   * What decides whether this read goes through a flag SDK: the function called (bare calls, hooks,
   * JSX components) or the object whose method is called. Cleanup rewrites only reads tied to one.
   */
  origin?: ValueExpr;
  /** A preset name whose definition in the code base wraps a flag read: a wrapper read. */
  wrapped?: true;
  /** The pattern comes from the configuration (scan.calls, hooks, maps, jsx): the user's word, never dropped. */
  configured?: true;
  /** Why the file alone shows this is not a flag read (a precision rule); kept so `--explain` can say so. */
  dropped?: { rule: DropRule; why: string };
}

/**
 * The precision rules that can drop a candidate; each drop is listed by `flagops scan --explain`.
 * They apply to preset names only: what the configuration names is always a read.
 */
export type DropRule = 'shadowed' | 'own-method' | 'builtin-member' | 'not-a-flag' | 'untied-wrapper';

/** How a call's callee is named: see OtherCall.bound. */
export interface CallBinding {
  bound: 'member' | 'this' | 'local' | 'import' | 'global';
  from?: { specifier: string; name: string };
}

/** A function that passes one of its parameters on as a flag key: a call pattern of its own. */
export interface WrapperFact {
  name: string;
  argument: number;
  strict: boolean;
  line: number;
  column: number;
  /** The flag call inside it. */
  calls: string;
  /** A method (`obj.name()`), not a function. */
  method: boolean;
}

/**
 * A call to a function that is not a known flag call, kept with its arguments as candidates: it
 * becomes a reference if the function turns out to be a wrapper defined in another file.
 */
export interface OtherCall {
  name: string;
  args: (Candidate | null)[];
  /**
   * How the callee is named, to tie the call to a definition: a method of some object (`member`),
   * of the enclosing class (`this`), a name this file declares (`local`), imports (`import`) or
   * neither (`global`).
   */
  bound: CallBinding['bound'];
  /** For `import`: the specifier and the imported name. */
  from?: CallBinding['from'];
}

export interface ModuleFacts {
  file: string;
  lines: number;
  declarations: Map<string, ValueExpr>;
  imports: Map<string, ImportBinding>;
  exports: Map<string, ExportBinding>;
  starExports: string[];
  /** Modules whose every name this file's own scope holds (Python's `from app.flags import *`). */
  starImports: string[];
  candidates: Candidate[];
  wrappers: WrapperFact[];
  otherCalls: OtherCall[];
  /** Functions and methods this file defines (with a body), by name, with the line of each. */
  functions: [name: string, line: number][];
}

/** The facts of a file before its walk: every language's adapter starts from these. */
export function emptyFacts(file: string, text: string): ModuleFacts {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return {
    file,
    lines,
    declarations: new Map(),
    imports: new Map(),
    exports: new Map(),
    starExports: [],
    starImports: [],
    candidates: [],
    wrappers: [],
    otherCalls: [],
    functions: [],
  };
}
