import type { Candidate, ModuleFacts, OtherCall } from '../facts.js';
import { type CallPattern, TOO_GENERIC_FOR_WRAPPERS } from '../patterns/patterns.js';

/**
 * The name a wrapper goes by: its own, or for an anonymous default export (`export default (flag)
 * => …`) `default@<file>`, since every module may have one.
 */
export const wrapperName = (fn: string, file: string) => (fn === 'default' || fn === 'default()' ? fn.replace('default', `default@${file}`) : fn);

/** The file an imported call's binding comes from (following re-exports), when it is one of the code base's. */
export type ExportedFrom = (call: OtherCall, file: string) => string | undefined;

/**
 * The wrapper a call may call: by the name it is called by, or, for an import, by the name it was
 * exported as (`import { isOn as on }`, a default export).
 */
function wrapperOf(
  call: OtherCall,
  file: string,
  patterns: ReadonlyMap<string, CallPattern>,
  exportedFrom: ExportedFrom,
): [name: string, pattern: CallPattern] | undefined {
  const own = patterns.get(call.name);
  if (own) return [call.name, own];
  if (call.bound !== 'import' || !call.from) return undefined;
  const origin = call.from.name === 'default' ? exportedFrom(call, file) : undefined;
  const exported = call.from.name === 'default' ? (origin === undefined ? undefined : wrapperName('default', origin)) : call.from.name;
  const imported = exported === undefined ? undefined : patterns.get(exported);
  return imported && exported !== undefined ? [exported, imported] : undefined;
}

/** Wrappers of wrappers are followed this many levels deep. */
export const MAX_WRAPPER_DEPTH = 4;

/**
 * Whether a call of a wrapper's name calls that wrapper: the adapter ties it to the definition
 * (through imports, or a name nothing else in the code base defines).
 */
export type TiesToWrapper = (call: OtherCall, file: string, definedIn: ReadonlySet<string>) => boolean;

export interface InferredWrappers {
  patterns: Map<string, CallPattern>;
  /**
   * Every file that defines a wrapper of each name; built-in pattern names too (an application's
   * own `useFlag` that reads a flag through a hook factory is a flag read, not a look-alike).
   */
  definedIn: Map<string, Set<string>>;
  /** Preset names the code base defines as wrappers, as patterns (calls tied to them are wrapper reads). */
  builtins: Map<string, CallPattern>;
}

/**
 * Functions that pass a parameter on as a flag key become call patterns, across files and
 * through wrappers of wrappers: the fixpoint over every module's facts, without parsing again.
 */
export function inferWrappers(
  modules: readonly ModuleFacts[],
  known: ReadonlySet<string>,
  ties: TiesToWrapper,
  exportedFrom: ExportedFrom,
): InferredWrappers {
  const patterns = new Map<string, CallPattern>();
  const definedIn = new Map<string, Set<string>>();
  const builtins = new Map<string, CallPattern>();
  const add = (fn: string, file: string, pattern: CallPattern) => {
    const name = wrapperName(fn, file);
    if (TOO_GENERIC_FOR_WRAPPERS.has(name.replace(/\(\)$/, ''))) return false;
    const files = definedIn.get(name) ?? new Set<string>();
    definedIn.set(name, files);
    const grew = !files.has(file);
    files.add(file);
    // A built-in pattern's calls are read as that pattern already: only note where it is defined.
    if (known.has(name)) {
      if (!builtins.has(name)) builtins.set(name, pattern);
      return false;
    }
    if (!patterns.has(name)) patterns.set(name, { ...pattern, name });
    return grew;
  };
  for (const facts of modules) {
    for (const w of facts.wrappers) {
      add(w.name, facts.file, {
        name: w.name,
        argument: w.argument,
        strict: w.strict,
        wrapper: { file: facts.file, line: w.line, column: w.column, calls: w.calls },
      });
    }
  }
  for (let depth = 1; depth < MAX_WRAPPER_DEPTH; depth++) {
    let grew = false;
    for (const facts of modules) {
      for (const call of facts.otherCalls) {
        const [name, outer] = wrapperOf(call, facts.file, patterns, exportedFrom) ?? [];
        const arg = outer && call.args[outer.argument];
        if (!outer || !arg || arg.key.k !== 'param' || arg.key.fn === undefined) continue;
        if (!ties(call, facts.file, definedIn.get(name!)!)) continue;
        const pattern = {
          name: arg.key.fn,
          argument: arg.key.index,
          strict: outer.strict,
          wrapper: { file: facts.file, line: arg.line, column: arg.column, calls: call.name },
        };
        if (add(arg.key.fn, facts.file, pattern)) grew = true;
      }
    }
    if (!grew) break;
  }
  return { patterns, definedIn, builtins };
}

/** Why a call of a wrapper's name is not tied to that wrapper, for `--explain`. */
export type UntiedReason = (call: OtherCall, file: string, definedIn: ReadonlySet<string>) => string;

/**
 * The calls of one module that go through an inferred wrapper, as flag reference candidates; a
 * call of a wrapper's name that cannot be tied to it is kept as a dropped candidate.
 */
export function wrapperCandidates(
  facts: ModuleFacts,
  inferred: InferredWrappers,
  links: { ties: TiesToWrapper; untied: UntiedReason; exportedFrom: ExportedFrom },
): Candidate[] {
  const { ties, untied, exportedFrom } = links;
  const out: Candidate[] = [];
  for (const call of facts.otherCalls) {
    const [name, wrapper] = wrapperOf(call, facts.file, inferred.patterns, exportedFrom) ?? [];
    const arg = wrapper && call.args[wrapper.argument];
    if (!wrapper || !arg) continue;
    // A parameter passed into another wrapper is that wrapper's definition, not a reference.
    if (arg.key.k === 'param' && arg.key.fn !== undefined && inferred.definedIn.get(wrapperName(arg.key.fn, facts.file))?.has(facts.file)) continue;
    const definedIn = inferred.definedIn.get(name!)!;
    // Called by another name than it was defined with (a renamed or default import): a wrapper read all the same.
    const renamed = name !== call.name ? { wrapped: true as const } : {};
    if (ties(call, facts.file, definedIn)) out.push({ ...arg, strict: wrapper.strict, ...renamed });
    else if (arg.key.k !== 'param') out.push({ ...arg, strict: wrapper.strict, ...renamed, dropped: { rule: 'untied-wrapper', why: untied(call, facts.file, definedIn) } });
  }
  return out;
}
