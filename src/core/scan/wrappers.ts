import type { Candidate, ModuleFacts } from './facts.js';
import { type CallPattern, TOO_GENERIC_FOR_WRAPPERS } from './patterns.js';

/** Wrappers of wrappers are followed this many levels deep. */
export const MAX_WRAPPER_DEPTH = 4;

/**
 * Functions that pass a parameter on as a flag key become call patterns, across files and
 * through wrappers of wrappers: the fixpoint over every module's facts, without parsing again.
 */
export function inferWrappers(modules: readonly ModuleFacts[], known: ReadonlySet<string>): Map<string, CallPattern> {
  const inferred = new Map<string, CallPattern>();
  const add = (name: string, pattern: CallPattern) => {
    if (known.has(name) || inferred.has(name) || TOO_GENERIC_FOR_WRAPPERS.has(name)) return false;
    inferred.set(name, pattern);
    return true;
  };
  for (const facts of modules) {
    for (const w of facts.wrappers) {
      add(w.name, {
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
        const outer = inferred.get(call.name);
        const arg = outer && call.args[outer.argument];
        if (!outer || !arg || arg.key.k !== 'param' || arg.key.fn === undefined) continue;
        const pattern = {
          name: arg.key.fn,
          argument: arg.key.index,
          strict: outer.strict,
          wrapper: { file: facts.file, line: arg.line, column: arg.column, calls: call.name },
        };
        if (add(arg.key.fn, pattern)) grew = true;
      }
    }
    if (!grew) break;
  }
  return inferred;
}

/** The calls of one module that go through an inferred wrapper, as flag reference candidates. */
export function wrapperCandidates(facts: ModuleFacts, wrappers: ReadonlyMap<string, CallPattern>): Candidate[] {
  const out: Candidate[] = [];
  for (const call of facts.otherCalls) {
    const wrapper = wrappers.get(call.name);
    const arg = wrapper && call.args[wrapper.argument];
    if (!wrapper || !arg) continue;
    // A parameter passed into another wrapper is that wrapper's definition, not a reference.
    if (arg.key.k === 'param' && arg.key.fn !== undefined && wrappers.has(arg.key.fn)) continue;
    out.push({ ...arg, strict: wrapper.strict });
  }
  return out;
}
