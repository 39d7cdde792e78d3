import type { Candidate, ModuleFacts, OtherCall } from '../facts.js';
import { languageFamily } from '../language-family.js';
import type { ModuleGraph } from './resolve.js';

const MAX_DEPTH = 16;

/**
 * Ties calls to the functions they call, without a type checker: through the file's own
 * declarations and its imports (following re-exports), or, for a method or a global, by a name
 * that only one function in the code base defines. A name that two classes use proves nothing.
 * Names are counted per language family: a Java method and a TypeScript function of one name
 * never call each other.
 */
export class Definitions {
  private readonly count = new Map<string, number>();

  constructor(
    modules: readonly ModuleFacts[],
    private readonly graph: ModuleGraph,
  ) {
    for (const m of modules) {
      for (const [name] of m.functions) {
        const key = countKey(m.file, name);
        this.count.set(key, (this.count.get(key) ?? 0) + 1);
      }
    }
  }

  /** The file that defines what `file` exports as `name`, following re-exports; undefined when unknown. */
  origin(file: string, name: string, depth = 0): string | undefined {
    const facts = this.graph.facts(file);
    if (!facts || depth > MAX_DEPTH) return undefined;
    const binding = facts.exports.get(name);
    if (binding) {
      if ('value' in binding) return file;
      if ('local' in binding) {
        const imported = facts.declarations.has(binding.local) || defines(facts, binding.local) ? undefined : facts.imports.get(binding.local);
        if (!imported) return file;
        const target = this.graph.resolveImport(imported.from, file);
        return target === undefined ? undefined : this.origin(target, imported.name, depth + 1);
      }
      const target = this.graph.resolveImport(binding.from, file);
      return target === undefined ? undefined : this.origin(target, binding.name, depth + 1);
    }
    for (const from of facts.starExports) {
      const target = this.graph.resolveImport(from, file);
      const found = target === undefined ? undefined : this.origin(target, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  readonly ties = (call: OtherCall, file: string, everywhere: ReadonlySet<string>): boolean => {
    const family = languageFamily(file);
    let definedIn = everywhere;
    if ([...everywhere].some((f) => languageFamily(f) !== family)) {
      definedIn = new Set([...everywhere].filter((f) => languageFamily(f) === family));
      if (definedIn.size === 0) return false;
    }
    const unique = (this.count.get(countKey(file, call.name)) ?? 0) <= 1;
    switch (call.bound) {
      case 'local':
        return definedIn.has(file);
      case 'import': {
        const target = this.graph.resolveImport(call.from!.specifier, file);
        // Imported from a package: whatever it is, it is not the project's wrapper.
        if (target === undefined) return false;
        const origin = this.origin(target, call.from!.name);
        return origin === undefined ? unique : definedIn.has(origin);
      }
      case 'this':
        return definedIn.has(file) || unique;
      default:
        return unique;
    }
  };

  /** The file an imported call's binding comes from, when it is one of the code base's. */
  readonly exportedFrom = (call: OtherCall, file: string): string | undefined => {
    if (call.bound !== 'import' || !call.from) return undefined;
    const target = this.graph.resolveImport(call.from.specifier, file);
    return target === undefined ? undefined : (this.origin(target, call.from.name) ?? target);
  };

  /** Why a call of a wrapper's name is not tied to the wrapper: the message of `--explain`. */
  readonly untied = (call: OtherCall, file: string, definedIn: ReadonlySet<string>): string => {
    const where = [...definedIn].sort().join(', ');
    const fn = callName(call.name);
    if (![...definedIn].some((f) => languageFamily(f) === languageFamily(file))) return `the wrapper ${fn} is in another language (${where}): a call here cannot reach it`;
    switch (call.bound) {
      case 'local':
        return `this file has its own ${fn}, not the wrapper in ${where}`;
      case 'import': {
        const target = this.graph.resolveImport(call.from!.specifier, file);
        return target === undefined
          ? `it imports ${call.from!.name} from "${call.from!.specifier}", a package, not the wrapper in ${where}`
          : `it imports ${call.from!.name} from "${call.from!.specifier}", which is not the wrapper in ${where}`;
      }
      default:
        return `${this.count.get(countKey(file, call.name)) ?? 0} functions in the code base are named ${fn} (the wrapper is in ${where}): a call by name alone cannot be tied to one (import it, or add { name: ${call.name.replace(/\(\)$/, '')} } to scan.calls)`;
    }
  };

  /**
   * A file's candidates, with the pattern calls whose name the project defines itself marked
   * dropped: a local `useVariant(payload)` hook is not the SDK's useVariant, unless it wraps a flag
   * call itself (`wraps`). Only preset names are marked: a configured name is the user's word.
   * Each such name is counted in `shadowed` (name → where it is defined, how many calls).
   */
  markShadowed(
    facts: ModuleFacts,
    wraps: ReadonlyMap<string, ReadonlySet<string>>,
    shadowed: Map<string, { at: string; calls: number }>,
  ): Candidate[] {
    return facts.candidates.map((c) => {
      if (!c.shadow || c.configured || c.dropped) return c;
      let definer: ModuleFacts | undefined = facts;
      let name = c.via;
      if ('from' in c.shadow) {
        const target = this.graph.resolveImport(c.shadow.from, facts.file);
        if (target === undefined) return c;
        definer = this.graph.facts(this.origin(target, c.shadow.name) ?? target);
        name = c.shadow.name;
      }
      const line = definer?.functions.find(([n]) => n === name)?.[1];
      if (!definer || line === undefined) return c;
      if (wraps.get(name)?.has(definer.file)) return { ...c, wrapped: true as const };
      const at = `${definer.file}:${line}`;
      const seen = shadowed.get(c.via);
      shadowed.set(c.via, { at: seen?.at ?? at, calls: (seen?.calls ?? 0) + 1 });
      const why = `${c.via}() here is the function defined at ${at}, which reads no flag flagops can see, not the preset's ${c.via}() (add { name: ${c.via} } to scan.calls if it reads flags)`;
      return { ...c, dropped: { rule: 'shadowed' as const, why } };
    });
  }
}

/** A call name as messages write it: `isOn()`, `the default export of src/x.ts`, or for a returned closure `the function useEvaluator() returns`. */
export function callName(name: string): string {
  const base = name.startsWith('default@') ? `the default export of ${name.slice('default@'.length).replace(/\(\)$/, '')}` : undefined;
  if (name.endsWith('()')) return `the function ${base ?? name} returns`;
  return base ?? `${name}()`;
}

const countKey = (file: string, name: string) => `${languageFamily(file) ?? ''}\0${name}`;

function defines(facts: ModuleFacts, name: string): boolean {
  return facts.functions.some(([n]) => n === name);
}
