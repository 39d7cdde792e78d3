import type { Candidate, ValueExpr } from '../facts.js';
import type { ModuleGraph } from './resolve.js';

/**
 * The packages of the flag SDKs the presets read (and their frameworks' bindings). A value
 * imported from one of them, made by something imported from one, or typed with one of their
 * types is a flag SDK's.
 */
export const SDK_PACKAGES = [
  'flagops', '@flagops/*', '@openfeature/*', '@launchdarkly/*', 'launchdarkly-*', 'ldclient-*', 'unleash-client', 'unleash-proxy-client',
  '@unleash/*', '@growthbook/*', 'posthog-js', 'posthog-node', 'posthog-react-native', '@posthog/*', 'flagsmith', 'flagsmith-nodejs',
  'react-native-flagsmith', '@flagsmith/*', '@flopflip/*', 'flagged', '@devcycle/*', 'configcat-*', '@statsig/*', 'statsig-*',
  '@splitsoftware/*', '@vercel/flags', '@optimizely/*', '@harnessio/*',
] as const;

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function isSdkPackage(specifier: string): boolean {
  const name = packageName(specifier);
  return SDK_PACKAGES.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

const MAX_DEPTH = 24;

/**
 * Whether a flag read goes through a flag SDK, from the facts alone: the called function, or the
 * object whose method is called, must come from an SDK package (imported, made by, or typed with
 * something from one), or be declared without a value (`declare const flags: FlagClient`, a
 * type stub for an SDK). What the code base itself makes (an object literal, its own class, an
 * untyped parameter) is not tied: cleanup does not rewrite a read that may be someone else's.
 */
export class SdkTies {
  private readonly memo = new Map<string, string | undefined>();

  constructor(private readonly graph: ModuleGraph) {}

  /** Why this candidate is not tied to a flag SDK; undefined when it is. */
  why(candidate: Candidate, file: string, throughWrapper: boolean): string | undefined {
    if (candidate.configured || throughWrapper) return undefined;
    if (!candidate.origin) return `flagops cannot see what ${candidate.via} is called on`;
    const key = `${file}\u0000${JSON.stringify(candidate.origin)}`;
    if (!this.memo.has(key)) this.memo.set(key, this.value(candidate.origin, file, 0));
    return this.memo.get(key);
  }

  private value(expr: ValueExpr, file: string, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return 'its origin is nested too deeply';
    switch (expr.k) {
      case 'ref':
        return this.path(expr.path[0]!, file, depth + 1);
      case 'get':
        return this.value(expr.of, file, depth + 1);
      case 'map':
        return expr.hook ? this.value(expr.hook, file, depth + 1) : `${expr.via}() is not a hook flagops can trace to a flag SDK`;
      case 'param':
        return expr.typed ? this.value(expr.typed, file, depth + 1) : `it is a parameter of ${expr.fn ?? 'an anonymous function'} with no type that ties it to a flag SDK`;
      case 'obj':
        return 'it is an object this code base makes, not a flag SDK client';
      case 'opaque': {
        if (expr.ambient) return undefined;
        // A typed view (`typedFlags(client)`, a function returning its parameter as it came) is its argument.
        const view = expr.made && expr.madeWith && this.passes(expr.made, file, depth + 1);
        const given = view !== undefined ? expr.madeWith![view] : undefined;
        if (given) return this.value(given, file, depth + 1);
        const made = expr.made && this.value(expr.made, file, depth + 1);
        if (expr.made && made === undefined) return undefined;
        const typed = expr.typed && this.value(expr.typed, file, depth + 1);
        if (expr.typed && typed === undefined) return undefined;
        return made ?? typed ?? expr.why;
      }
      default:
        return 'it is not a flag SDK client';
    }
  }

  /** The parameter a called function returns as it came, following imports to its declaration. */
  private passes(callee: ValueExpr, file: string, depth: number): number | undefined {
    if (callee.k !== 'ref' || callee.path.length !== 1 || depth > MAX_DEPTH) return undefined;
    let [name, at] = [callee.path[0]!, file];
    for (let hop = 0; hop < MAX_DEPTH; hop++) {
      const facts = this.graph.facts(at);
      if (!facts) return undefined;
      const declared = facts.declarations.get(name);
      if (declared) return declared.k === 'opaque' ? declared.returnsParam : undefined;
      const binding = facts.imports.get(name);
      const exported = binding ? undefined : facts.exports.get(name);
      const from = binding ?? (exported && 'from' in exported ? exported : undefined);
      if (!from) {
        if (exported && 'local' in exported && exported.local !== name) name = exported.local;
        else return undefined;
        continue;
      }
      const target = this.graph.resolveImport(from.from, at);
      if (target === undefined || from.name === '*') return undefined;
      [name, at] = [from.name, target];
      // In the target file, the exported name may be a local of another name.
      const local = this.graph.facts(at)?.exports.get(name);
      if (local && 'local' in local) name = local.local;
    }
    return undefined;
  }

  private path(head: string, file: string, depth: number): string | undefined {
    const facts = this.graph.facts(file);
    if (!facts) return `${file} could not be read`;
    const declared = facts.declarations.get(head);
    if (declared) {
      if (declared.k === 'opaque' && !declared.ambient && !declared.made && !declared.typed) {
        const line = facts.functions.find(([n]) => n === head)?.[1];
        if (line !== undefined) return `${head} is a function this code base defines (${file}:${line}), not a flag SDK's`;
        return declared.why === `${head} is not a constant` ? `${head} is defined in this code base (${file}), not by a flag SDK` : `${head} is not a flag SDK client (${declared.why})`;
      }
      return this.value(declared, file, depth + 1);
    }
    const binding = facts.imports.get(head);
    if (!binding) return `${head} is neither imported nor declared in ${file}`;
    // An SDK's package name is the SDK's, wherever it resolves (a workspace, the SDK's own repository).
    if (isSdkPackage(binding.from)) return undefined;
    const target = this.graph.resolveImport(binding.from, file);
    if (target === undefined) return `${head} comes from "${binding.from}", which is not a flag SDK flagops knows`;
    return binding.name === '*' ? `${head} is a module of this code base` : this.exported(target, binding.name, depth + 1);
  }

  private exported(file: string, name: string, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return 'its exports are nested too deeply';
    const facts = this.graph.facts(file);
    if (!facts) return `${file} could not be read`;
    const binding = facts.exports.get(name);
    if (!binding) {
      for (const from of facts.starExports) {
        if (isSdkPackage(from)) return undefined;
        const target = this.graph.resolveImport(from, file);
        if (target === undefined) continue;
        if (this.graph.facts(target)?.exports.has(name)) return this.exported(target, name, depth + 1);
      }
      return `${file} does not export ${name}`;
    }
    if ('local' in binding) return this.path(binding.local, file, depth + 1);
    if ('value' in binding) return this.value(binding.value, file, depth + 1);
    if (isSdkPackage(binding.from)) return undefined;
    const target = this.graph.resolveImport(binding.from, file);
    if (target === undefined) return `${name} is re-exported from "${binding.from}", which is not a flag SDK flagops knows`;
    return binding.name === '*' ? `${name} is a module of this code base` : this.exported(target, binding.name, depth + 1);
  }
}
