import type { Candidate, ModuleFacts, OtherCall } from './facts.js';
import type { ModuleGraph } from './resolve.js';

const MAX_DEPTH = 16;

/**
 * Ties calls to the functions they call, without a type checker: through the file's own
 * declarations and its imports (following re-exports), or, for a method or a global, by a name
 * that only one function in the code base defines. A name that two classes use proves nothing.
 */
export class Definitions {
  private readonly count = new Map<string, number>();

  constructor(
    modules: readonly ModuleFacts[],
    private readonly graph: ModuleGraph,
  ) {
    for (const m of modules) for (const [name] of m.functions) this.count.set(name, (this.count.get(name) ?? 0) + 1);
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

  readonly ties = (call: OtherCall, file: string, definedIn: ReadonlySet<string>): boolean => {
    const unique = (this.count.get(call.name) ?? 0) <= 1;
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

  /**
   * A file's pattern calls, less those whose name the project defines itself: a local
   * `useVariant(payload)` hook is not the SDK's useVariant, unless it wraps a flag call itself.
   * Each such name is noted once in `shadowed` (name → where it is defined).
   */
  unshadowed(facts: ModuleFacts, shadowed: Map<string, string>): Candidate[] {
    return facts.candidates.filter((c) => {
      if (!c.shadow) return true;
      let definer: ModuleFacts | undefined = facts;
      let name = c.via;
      if ('from' in c.shadow) {
        const target = this.graph.resolveImport(c.shadow.from, facts.file);
        if (target === undefined) return true;
        definer = this.graph.facts(this.origin(target, c.shadow.name) ?? target);
        name = c.shadow.name;
      }
      const line = definer?.functions.find(([n]) => n === name)?.[1];
      if (!definer || line === undefined || definer.wrappers.some((w) => w.name === name)) return true;
      if (!shadowed.has(c.via)) shadowed.set(c.via, `${definer.file}:${line}`);
      return false;
    });
  }
}

function defines(facts: ModuleFacts, name: string): boolean {
  return facts.functions.some(([n]) => n === name);
}
