export const FLAG_TYPES = ['release', 'experiment', 'ops', 'permission', 'kill-switch'] as const;
export type FlagType = (typeof FLAG_TYPES)[number];

export const LIST_OPERATORS = ['in', 'not_in'] as const;
export const STRING_OPERATORS = ['contains', 'starts_with', 'ends_with'] as const;
export const NUMBER_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const;
export const SEMVER_OPERATORS = ['semver_eq', 'semver_gt', 'semver_gte', 'semver_lt', 'semver_lte'] as const;
export const DATE_OPERATORS = ['before', 'after'] as const;
export const OPERATORS = [
  'eq',
  'neq',
  ...LIST_OPERATORS,
  ...STRING_OPERATORS,
  ...NUMBER_OPERATORS,
  ...SEMVER_OPERATORS,
  ...DATE_OPERATORS,
] as const;
export type Operator = (typeof OPERATORS)[number];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Scalar = string | number | boolean;

export interface Condition {
  attribute: string;
  op: Operator;
  value?: Scalar;
  values?: Scalar[];
}

/**
 * A condition on a metric, compared for the users who get the rollout's variant against those who
 * do not (the control): a stage it guards begins only once it passes, and a breach kills the flag.
 * A plain string names a metric of the configuration with that metric's own thresholds.
 */
export type GuardRef = string | GuardSpec;

export interface GuardSpec {
  metric: string;
  /** The largest allowed increase over the control: a share ("0.5%", 0.005) for a rate, in the metric's unit otherwise. */
  maxIncrease?: number | string;
  /** The largest allowed ratio of the variant's value to the control's (1.2: 20% worse). */
  maxRatio?: number;
  /** The largest allowed value for the variant, whatever the control does. */
  max?: number | string;
  /** How far back the query looks: 30s, 10m, 1h. */
  window?: string;
  /** Fewer samples than this, in either group, decides nothing (hold). */
  minSamples?: number;
}

export interface Stage {
  at: string;
  percentage: number;
  /** Guards this stage must pass before it begins, and keep passing while it is served. */
  guards?: GuardRef[];
}

/** Who gets what: one variant, or a share of users bucketed by a stickiness attribute. */
export type Serve =
  | string
  | { percentage: number; variant?: string; stickiness?: string }
  | { split: Record<string, number>; stickiness?: string }
  | { rollout: { stages: Stage[] }; variant?: string; stickiness?: string };

/** Segments a rule (or a segment) matches: all of them, or at least one with `{ any: [...] }`. */
export type SegmentRefs = string[] | { any: string[] };

/** Who a rule or a segment matches: every condition given must hold. */
export interface Match {
  users?: string[];
  groups?: string[];
  when?: Condition[];
  segments?: SegmentRefs;
}

/** A segment's conditions may also nest: all of, any of, not. */
export interface SegmentMatch extends Match {
  all?: SegmentMatch[];
  any?: SegmentMatch[];
  not?: SegmentMatch;
}

/** A segment file's content after it passed the schema. The key comes from the file name. */
export interface SegmentDocument extends SegmentMatch {
  key?: string;
  description: string;
  owner: string;
  /** The environments it exists in (default: all of them). */
  environments?: string[];
}

/** A flag this one needs: its on value (a plain key), or one named variant. */
export type Requirement = string | { flag: string; variant?: string };

export interface Rule extends Match {
  name?: string;
  serve: Serve;
}

export interface EnvironmentDefinition {
  enabled: boolean;
  /** Prerequisites in this environment, on top of the flag's own. */
  requires?: Requirement[];
  rules?: Rule[];
  serve?: Serve;
}

/** A flag file's content after it passed the schema. The key comes from the file name. */
export interface FlagDocument {
  key?: string;
  description: string;
  owner: string;
  type: FlagType;
  created: string;
  expires?: string;
  tags?: string[];
  variants?: Record<string, JsonValue>;
  offVariant?: string;
  salt?: string;
  /** Free facts returned with every evaluation (OpenFeature flag metadata). */
  metadata?: Record<string, Scalar>;
  /** Prerequisites in every environment. */
  requires?: Requirement[];
  /** Guards on every rollout stage of the flag, in every environment. */
  guards?: GuardRef[];
  environments: Record<string, EnvironmentDefinition>;
}

export const DEFAULT_VARIANTS: Readonly<Record<string, JsonValue>> = Object.freeze({ on: true, off: false });
export const DEFAULT_OFF_VARIANT = 'off';

/** A flag's on value for `requires: [key]`: its variant whose value is true, if it has one. */
export const trueVariant = (flag: FlagDocument): string | undefined =>
  Object.entries(flag.variants ?? DEFAULT_VARIANTS).find(([, value]) => value === true)?.[0];
export const DEFAULT_ON_VARIANT = 'on';
export const DEFAULT_STICKINESS = 'userId';

/** Flag metadata names the OpenFeature provider sets itself: a flag file cannot use them. */
export const PROVIDER_METADATA_KEYS = ['revision', 'type', 'expires', 'rule', 'override', 'message', 'prerequisite'] as const;

/** Keys as teams already have them: newCheckout, new-checkout, new_checkout, UNLEASH_CLOUD, v2.search. */
export const FLAG_KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$';

/** An optional house style for flag keys (keys.style in the configuration). */
export const KEY_STYLES = ['any', 'kebab', 'camel', 'snake'] as const;
export type KeyStyle = (typeof KEY_STYLES)[number];
