import type { PathSegment } from '../load/source-map.js';
import { DEFAULT_VARIANTS, type FlagDocument, type JsonValue, type Serve } from '../model.js';

export interface ServeSite {
  serve: Serve;
  path: PathSegment[];
}

/** Every serve in the flag: each environment's default serve and each rule's serve. */
export function serveSites(flag: FlagDocument): ServeSite[] {
  const sites: ServeSite[] = [];
  for (const [env, definition] of Object.entries(flag.environments)) {
    (definition.rules ?? []).forEach((rule, i) => {
      sites.push({ serve: rule.serve, path: ['environments', env, 'rules', i, 'serve'] });
    });
    if (definition.serve !== undefined)
      sites.push({ serve: definition.serve, path: ['environments', env, 'serve'] });
  }
  return sites;
}

export function variantsOf(flag: FlagDocument): Record<string, JsonValue> {
  return flag.variants ?? DEFAULT_VARIANTS;
}

export const hasVariant = (flag: FlagDocument, name: string) => Object.hasOwn(variantsOf(flag), name);
