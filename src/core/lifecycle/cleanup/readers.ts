import type { PresetName } from '../../definition/config-choices.js';

/**
 * What a flag read gives the code that made it, so cleanup can put the served value in its place:
 * - `value`: the flag's value (`getValue`, `getStringValue`, `useFlags().x`);
 * - `boolean`: the value of a boolean flag (`isEnabled`); `truthy`: whether the value is truthy
 *   (GrowthBook's `isOn`); `not`: the opposite (`isOff`);
 * - `variant`: the variant's name (`getVariant`);
 * - `details`: an object read through `.value` and `.variant` (`getBooleanDetails`, `useFlag`);
 * - `gate`: a JSX element that renders its children when the flag is on, else its `fallback`;
 * - `unknown`: flagops does not know this SDK's result well enough to rewrite it (why).
 */
export type ReaderResult =
  | { kind: 'value' | 'boolean' | 'truthy' | 'not' | 'variant' | 'details' | 'gate' }
  | { kind: 'unknown'; why: string };

const types = ['Boolean', 'String', 'Number', 'Object'];
const ldTypes = ['bool', 'string', 'number', 'json'];
const r = (kind: Exclude<ReaderResult['kind'], 'unknown'>): ReaderResult => ({ kind });
const unknown = (why: string): ReaderResult => ({ kind: 'unknown', why });

/** Per preset, as each SDK documents its calls; names shared by two SDKs follow the preset order. */
const PRESET_READERS: Record<PresetName, Record<string, ReaderResult>> = {
  flagops: { isEnabled: r('boolean'), getVariant: r('variant'), getValue: r('value'), evaluate: r('details') },
  openfeature: Object.fromEntries([
    ...types.flatMap((t) => [[`get${t}Value`, r('value')], [`get${t}Details`, r('details')]]),
    ...types.flatMap((t) => [[`use${t}FlagValue`, r('value')], [`use${t}FlagDetails`, r('details')]]),
    ['useFlag', r('details')],
    ['useSuspenseFlag', r('details')],
  ]),
  react: {
    useFlags: r('value'),
    useVariant: unknown('useVariant() returns an object whose shape depends on the SDK'),
    Feature: r('gate'),
  },
  launchdarkly: {
    variation: r('value'),
    variationDetail: r('details'),
    ...Object.fromEntries(ldTypes.flatMap((t) => [[`${t}Variation`, r('value')], [`${t}VariationDetail`, r('details')]])),
    migrationVariation: unknown('migrationVariation() returns a migration stage and a tracker'),
    useFlags: r('value'),
    allFlags: r('value'),
  },
  unleash: {
    isEnabled: r('boolean'),
    useFlag: r('boolean'),
    getVariant: unknown('Unleash\'s getVariant() returns an object with name, enabled and payload'),
    useVariant: unknown('Unleash\'s useVariant() returns an object with name, enabled and payload'),
  },
  growthbook: {
    useFeatureIsOn: r('truthy'),
    isOn: r('truthy'),
    isOff: r('not'),
    useFeatureValue: r('value'),
    getFeatureValue: r('value'),
    useFeature: unknown('useFeature() returns a result object (value, on, off, source)'),
    evalFeature: unknown('evalFeature() returns a result object (value, on, off, source)'),
    feature: unknown('feature() returns a result object (value, on, off, source)'),
    IfFeatureEnabled: r('gate'),
    FeatureString: unknown('<FeatureString> renders the value as text'),
  },
  posthog: {
    useFeatureFlagEnabled: r('truthy'),
    isFeatureEnabled: r('truthy'),
    useFeatureFlagVariantKey: r('value'),
    getFeatureFlag: r('value'),
    useFeatureFlagPayload: unknown('a payload is not a flagops value'),
    getFeatureFlagPayload: unknown('a payload is not a flagops value'),
    PostHogFeature: unknown('<PostHogFeature> matches a variant through its match attribute'),
  },
  flagsmith: {
    hasFeature: r('truthy'),
    isFeatureEnabled: r('truthy'),
    getValue: r('value'),
    getFeatureValue: r('value'),
    useFlags: unknown('Flagsmith\'s useFlags() returns { enabled, value } per flag'),
  },
  // Cleanup rewrites TypeScript only: these are Python, Ruby, .NET and PHP calls.
  'seed-python': {},
  flipper: {},
  'feature-management': {},
  pennant: {},
};

/**
 * What each call, hook, map and JSX component gives, for the presets a project scans with. A name
 * no preset knows (the project's own `scan.calls`) is taken to return the flag's value: the type
 * check after cleanup says when that is wrong, and everything is put back.
 */
export function readerResults(presets: readonly PresetName[]): (via: string) => ReaderResult {
  const table = new Map<string, ReaderResult>();
  for (const preset of presets) for (const [name, result] of Object.entries(PRESET_READERS[preset])) table.set(name, result);
  return (via) => table.get(via.replace(/\(\)$/, '')) ?? { kind: 'value' };
}
