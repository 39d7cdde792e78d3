import type { PresetName } from '../../../definition/config-choices.js';
import type { CallPattern, JsxPattern, ReferencePatterns } from './patterns.js';

/**
 * The reference forms of the SDKs teams use and migrate from, as their own docs write them
 * (docs/scan.md lists each). Names common outside flag code (`isOn`, `getValue`, `<Feature>`)
 * are lenient: only keys of defined flags count.
 */
const call = (name: string, strict = true): CallPattern => ({ name, argument: 0, strict });
/** A call of Go only, whose key is not the first argument: Go's SDKs take a context before the key. */
const inGo = (name: string, argument: number): CallPattern => ({ name, argument, strict: true, language: 'go' });
const jsx = (component: string, attribute: string, strict = true): JsxPattern => ({ component, attribute, strict });
const types = ['Boolean', 'String', 'Number', 'Object'];
/** OpenFeature's Python SDK: get_boolean_value, get_integer_value, … and their _details. */
const pythonTypes = ['boolean', 'string', 'integer', 'float', 'object'];
/** OpenFeature's Go SDK: client.BooleanValue(ctx, key, default, evalCtx), … and their Details. */
const goTypes = ['Boolean', 'String', 'Int', 'Float', 'Object'];
/** LaunchDarkly's Go SDK: BoolVariation, …, JSONVariation and their Detail. */
const ldGoTypes = ['Bool', 'String', 'Int', 'Float64', 'JSON'];
const ldTypes = ['bool', 'string', 'number', 'json'];
/** OpenFeature's Java, Kotlin and PHP SDKs: getIntegerValue, getDoubleValue (Java), getFloatValue (PHP) beside the TypeScript names. */
const jvmTypes = ['Integer', 'Double', 'Float'];
/** OpenFeature's .NET SDK: GetBooleanValueAsync, … and GetBooleanDetailsAsync. */
const dotnetTypes = ['Boolean', 'String', 'Integer', 'Double', 'Object'];
/** OpenFeature's Ruby SDK: fetch_boolean_value(flag_key: …), … and fetch_boolean_details. */
const rubyTypes = ['boolean', 'string', 'number', 'integer', 'float', 'object'];
/**
 * LaunchDarkly's Java and Kotlin SDKs (intVariation, doubleVariation, jsonValueVariation) and
 * .NET's (IntVariation, FloatVariation, DoubleVariation, JsonVariation).
 */
const ldJvmTypes = ['int', 'double', 'jsonValue'];
const ldDotnetTypes = ['Float', 'Double', 'Json'];

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
      ...pythonTypes.flatMap((t) => [call(`get_${t}_value`), call(`get_${t}_details`)]),
      ...goTypes.flatMap((t) => [inGo(`${t}Value`, 1), inGo(`${t}ValueDetails`, 1)]),
      ...jvmTypes.flatMap((t) => [call(`get${t}Value`), call(`get${t}Details`)]),
      ...dotnetTypes.flatMap((t) => [call(`Get${t}ValueAsync`), call(`Get${t}DetailsAsync`)]),
      ...rubyTypes.flatMap((t) => [call(`fetch_${t}_value`), call(`fetch_${t}_details`)]),
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
      // Python: ldclient.get().variation("key", context, default) is the name above; its detail:
      call('variation_detail'),
      ...ldGoTypes.flatMap((t) => [call(`${t}Variation`), call(`${t}VariationDetail`)]),
      ...ldJvmTypes.flatMap((t) => [call(`${t}Variation`), call(`${t}VariationDetail`)]),
      ...ldDotnetTypes.flatMap((t) => [call(`${t}Variation`), call(`${t}VariationDetail`)]),
    ],
    // useFlags() exposes keys in camelCase; allFlags() as written.
    hooks: ['useFlags', 'allFlags'],
    maps: [],
    jsx: [],
  },
  unleash: {
    // TypeScript, Java, Kotlin and PHP; Python; Ruby; Go and .NET.
    calls: [
      call('isEnabled'), call('getVariant'), call('useFlag'), call('useVariant'),
      call('is_enabled'), call('get_variant'),
      call('is_enabled?'), call('is_disabled?'),
      call('IsEnabled'), call('GetVariant'),
    ],
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
      // Python: gb.is_on("key"), gb.get_feature_value("key", default), gb.eval_feature("key").
      call('is_on', false),
      call('is_off', false),
      call('get_feature_value'),
      call('eval_feature'),
      // Ruby: gb.on?(:key), gb.off?, gb.feature_value(:key, fallback); .NET: IsOn, IsOff, GetFeatureValue, EvalFeature.
      call('on?', false),
      call('off?', false),
      call('feature_value'),
      call('IsOn', false),
      call('IsOff', false),
      call('GetFeatureValue'),
      call('EvalFeature'),
      // Go: client.EvalFeature(ctx, "key").
      inGo('EvalFeature', 1),
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
      // Python: posthog.feature_enabled("key", distinct_id), get_feature_flag(…), get_feature_flag_payload(…).
      call('feature_enabled'),
      call('get_feature_flag'),
      call('get_feature_flag_payload'),
      // Ruby: posthog.is_feature_enabled('key', id); .NET: IsFeatureEnabledAsync, GetFeatureFlagAsync;
      // Go: client.IsFeatureEnabled(posthog.FeatureFlagPayload{Key: "key", …}) (the struct's Key field).
      call('is_feature_enabled'),
      call('IsFeatureEnabledAsync'),
      call('GetFeatureFlagAsync'),
      call('IsFeatureEnabled'),
      call('GetFeatureFlag'),
      call('GetFeatureFlagPayload'),
    ],
    hooks: [],
    maps: [],
    jsx: [jsx('PostHogFeature', 'flag')],
  },
  flagsmith: {
    // useFlags(['a', 'b']) returns { a: { enabled, value }, b: … }: the react preset's hook reads it.
    // TypeScript, Java, Kotlin, PHP; Python and Ruby; Go and .NET.
    calls: [
      call('hasFeature'), call('getValue', false), call('isFeatureEnabled'), call('getFeatureValue'),
      call('is_feature_enabled'), call('get_feature_value'),
      call('IsFeatureEnabled'), call('GetFeatureValue'),
    ],
    hooks: ['useFlags'],
    maps: [],
    jsx: [],
  },
  // Ruby's Flipper: Flipper.enabled?(:search, user) (the key is the symbol's name).
  flipper: {
    calls: [call('enabled?')],
    hooks: [],
    maps: [],
    jsx: [],
  },
  // .NET's Microsoft.FeatureManagement: await featureManager.IsEnabledAsync("Beta") or nameof(Features.Beta).
  'feature-management': {
    calls: [call('IsEnabledAsync')],
    hooks: [],
    maps: [],
    jsx: [],
  },
  // Laravel Pennant: Feature::active('new-api'), Feature::inactive(…), Feature::value(…).
  pennant: {
    calls: [call('active'), call('inactive'), call('value', false), call('someAreActive', false), call('allAreActive', false)],
    hooks: [],
    maps: [],
    jsx: [],
  },
  // The Python services of flagops' own design call their helpers so: choosing this preset says
  // these names read flags, so a service's own definition of them never drops their calls.
  'seed-python': {
    calls: [call('is_enabled'), call('get_variant'), call('check_flag')].map((c) => ({ ...c, configured: true as const })),
    hooks: [],
    maps: [],
    jsx: [],
  },
};
