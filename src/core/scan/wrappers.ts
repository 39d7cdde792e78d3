import type { Candidate, ModuleFacts, OtherCall } from './facts.js';
import { type CallPattern, TOO_GENERIC_FOR_WRAPPERS } from './patterns.js';

/** Wrappers of wrappers are followed this many levels deep. */
export const MAX_WRAPPER_DEPTH = 4;

/**
 * Whether a call of a wrapper's name calls that wrapper: the adapter ties it to the definition
 * (through imports, or a name nothing else in the code base defines).
 */
export type TiesToWrapper = (call: OtherCall, file: string, definedIn: ReadonlySet<string>) => boolean;

export interface InferredWrappers {
  patterns: Map<string, CallPattern>;
  /** Every file that defines a wrapper of each name. */
  definedIn: Map<string, Set<string>>;
}

/**
 * Functions that pass a parameter on as a flag key become call patterns, across files and
 * through wrappers of wrappers: the fixpoint over every module's facts, without parsing again.
 */
export function inferWrappers(modules: readonly ModuleFacts[], known: ReadonlySet<string>, ties: TiesToWrapper): InferredWrappers {
  const patterns = new Map<string, CallPattern>();
  const definedIn = new Map<string, Set<string>>();
  const add = (name: string, file: string, pattern: CallPattern) => {
    if (known.has(name) || TOO_GENERIC_FOR_WRAPPERS.has(name)) return false;
    const files = definedIn.get(name) ?? new Set<string>();
    definedIn.set(name, files);
    const grew = !files.has(file);
    files.add(file);
    if (!patterns.has(name)) patterns.set(name, pattern);
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
        const outer = patterns.get(call.name);
        const arg = outer && call.args[outer.argument];
        if (!outer || !arg || arg.key.k !== 'param' || arg.key.fn === undefined) continue;
        if (!ties(call, facts.file, definedIn.get(call.name)!)) continue;
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
  return { patterns, definedIn };
}

/** The calls of one module that go through an inferred wrapper, as flag reference candidates. */
export function wrapperCandidates(facts: ModuleFacts, inferred: InferredWrappers, ties: TiesToWrapper): Candidate[] {
  const out: Candidate[] = [];
  for (const call of facts.otherCalls) {
    const wrapper = inferred.patterns.get(call.name);
    const arg = wrapper && call.args[wrapper.argument];
    if (!wrapper || !arg) continue;
    // A parameter passed into another wrapper is that wrapper's definition, not a reference.
    if (arg.key.k === 'param' && arg.key.fn !== undefined && inferred.patterns.has(arg.key.fn)) continue;
    if (!ties(call, facts.file, inferred.definedIn.get(call.name)!)) continue;
    out.push({ ...arg, strict: wrapper.strict });
  }
  return out;
}
