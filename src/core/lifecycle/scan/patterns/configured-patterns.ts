import { DEFAULT_PRESETS, type PresetName } from '../../../definition/config-choices.js';
import type { CallPattern, JsxPattern, ReferencePatterns } from './patterns.js';
import { PRESETS } from './presets.js';

export interface ScanPatternConfig {
  /** `scan.defaultPatterns`: false drops the default presets (unless presets are named). */
  defaults: boolean;
  presets?: readonly PresetName[];
  calls: { name: string; argument?: number; strict?: boolean }[];
  hooks: string[];
  maps: string[];
  jsx?: { component: string; attribute: string; strict?: boolean }[];
}

/** The configured patterns: the presets, then the project's own. A later entry wins. */
export function referencePatterns(config: ScanPatternConfig): ReferencePatterns {
  const presets = config.presets ?? (config.defaults ? DEFAULT_PRESETS : []);
  const calls = new Map<string, CallPattern>();
  const jsx = new Map<string, JsxPattern>();
  const hooks = new Set<string>();
  const maps = new Set<string>();
  for (const preset of presets.map((name) => PRESETS[name])) {
    for (const c of preset.calls) calls.set(`${c.name}@${c.language ?? ''}`, c);
    for (const j of preset.jsx) jsx.set(`${j.component}.${j.attribute}`, j);
    for (const h of preset.hooks) hooks.add(h);
    for (const m of preset.maps) maps.add(m);
  }
  for (const c of config.calls) {
    // The user's word is for every language.
    for (const key of [...calls.keys()]) if (calls.get(key)!.name === c.name) calls.delete(key);
    calls.set(`${c.name}@`, { name: c.name, argument: c.argument ?? 0, strict: c.strict ?? true, configured: true });
  }
  for (const j of config.jsx ?? []) {
    jsx.set(`${j.component}.${j.attribute}`, { component: j.component, attribute: j.attribute, strict: j.strict ?? true, configured: true });
  }
  for (const h of config.hooks) hooks.add(h);
  for (const m of config.maps) maps.add(m);
  return { calls: [...calls.values()], hooks: [...hooks], maps: [...maps], jsx: [...jsx.values()], configured: [...config.hooks, ...config.maps] };
}

/** The default presets, as one set of patterns. */
export const DEFAULT_PATTERNS: ReferencePatterns = referencePatterns({ defaults: true, calls: [], hooks: [], maps: [] });
