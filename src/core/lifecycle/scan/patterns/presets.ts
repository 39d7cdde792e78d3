import type { PresetName } from '../../../definition/config-choices.js';
import type { CallPattern, JsxPattern, ReferencePatterns } from './patterns.js';

/**
 * The reference forms of the SDKs teams use and migrate from, as their own docs write them
 * (docs/scan.md lists each). Names common outside flag code (`isOn`, `getValue`, `<Feature>`)
 * are lenient: only keys of defined flags count.
 */
const call = (name: string, strict = true): CallPattern => ({ name, argument: 0, strict });
const jsx = (component: string, attribute: string, strict = true): JsxPattern => ({ component, attribute, strict });
const types = ['Boolean', 'String', 'Number', 'Object'];
const ldTypes = ['bool', 'string', 'number', 'json'];

export const PRESETS: Record<PresetName, ReferencePatterns> = {
  flagops: {
    calls: [call('isEnabled'), call('getVariant'), call('getValue', false), call('evaluate', false)],
    hooks: [],
    maps: [],
    jsx: [],
  },
  openfeature: {
    calls: [
      ...types.flatMap((t) => [call(`get${t}Value`), call(`get${t}Details`)]),
      ...types.flatMap((t) => [call(`use${t}FlagValue`), call(`use${t}FlagDetails`)]),
      call('useFlag'),
      call('useSuspenseFlag'),
    ],
    hooks: [],
    maps: [],
    jsx: [],
  },
  react: {
    calls: [call('useFlag'), call('useVariant')],
    hooks: ['useFlags'],
    maps: [],
    jsx: [jsx('Feature', 'flag', false)],
  },
  launchdarkly: {
    calls: [
      call('variation'),
      call('variationDetail'),
      ...ldTypes.flatMap((t) => [call(`${t}Variation`), call(`${t}VariationDetail`)]),
      call('migrationVariation'),
    ],
    // useFlags() exposes keys in camelCase; allFlags() as written.
    hooks: ['useFlags', 'allFlags'],
    maps: [],
    jsx: [],
  },
  unleash: {
    calls: [call('isEnabled'), call('getVariant'), call('useFlag'), call('useVariant')],
    hooks: [],
    maps: [],
    jsx: [],
  },
  growthbook: {
    calls: [
      call('useFeatureIsOn'),
      call('useFeatureValue'),
      call('useFeature'),
      call('isOn', false),
      call('isOff', false),
      call('getFeatureValue'),
      call('evalFeature'),
      call('feature', false),
    ],
    hooks: [],
    maps: [],
    jsx: [jsx('IfFeatureEnabled', 'feature'), jsx('FeatureString', 'feature')],
  },
  posthog: {
    calls: [
      call('useFeatureFlagEnabled'),
      call('useFeatureFlagVariantKey'),
      call('useFeatureFlagPayload'),
      call('isFeatureEnabled'),
      call('getFeatureFlag'),
      call('getFeatureFlagPayload'),
    ],
    hooks: [],
    maps: [],
    jsx: [jsx('PostHogFeature', 'flag')],
  },
  flagsmith: {
    // useFlags(['a', 'b']) returns { a: { enabled, value }, b: … }: the react preset's hook reads it.
    calls: [call('hasFeature'), call('getValue', false), call('isFeatureEnabled'), call('getFeatureValue')],
    hooks: ['useFlags'],
    maps: [],
    jsx: [],
  },
};
