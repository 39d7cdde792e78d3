import type { PathSegment } from '../load/source-map.js';
import { type Condition, DEFAULT_VARIANTS, type FlagDocument, type JsonValue, type SegmentMatch, type Serve } from '../model.js';

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

/** A segment named by a rule or a segment: its key and where the name is written. */
export interface SegmentSite {
  key: string;
  path: PathSegment[];
}

/** Every segment a match names, through all / any / not, with the path of each name. */
export function segmentSites(match: SegmentMatch, path: PathSegment[]): SegmentSite[] {
  const out: SegmentSite[] = [];
  const visit = (m: SegmentMatch, at: PathSegment[]) => {
    if (Array.isArray(m.segments)) m.segments.forEach((key, i) => out.push({ key, path: [...at, 'segments', i] }));
    else if (m.segments) m.segments.any.forEach((key, i) => out.push({ key, path: [...at, 'segments', 'any', i] }));
    (m.all ?? []).forEach((item, i) => visit(item, [...at, 'all', i]));
    (m.any ?? []).forEach((item, i) => visit(item, [...at, 'any', i]));
    if (m.not) visit(m.not, [...at, 'not']);
  };
  visit(match, path);
  return out;
}

/** Every condition of a match, through all / any / not, with its path. */
export function conditionSites(match: SegmentMatch, path: PathSegment[]): Array<{ condition: Condition; path: PathSegment[] }> {
  const out: Array<{ condition: Condition; path: PathSegment[] }> = [];
  const visit = (m: SegmentMatch, at: PathSegment[]) => {
    (m.when ?? []).forEach((condition, i) => out.push({ condition, path: [...at, 'when', i] }));
    (m.all ?? []).forEach((item, i) => visit(item, [...at, 'all', i]));
    (m.any ?? []).forEach((item, i) => visit(item, [...at, 'any', i]));
    if (m.not) visit(m.not, [...at, 'not']);
  };
  visit(match, path);
  return out;
}
