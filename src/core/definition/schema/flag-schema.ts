import {
  DATE_OPERATORS,
  FLAG_KEY_PATTERN,
  FLAG_TYPES,
  LIST_OPERATORS,
  NUMBER_OPERATORS,
  OPERATORS,
  SEMVER_OPERATORS,
  STRING_OPERATORS,
} from '../model.js';
import { guardList } from './guard-schema.js';
import { ENVIRONMENT_NAME_PATTERN, METADATA_NAME_PATTERN, nameKeys, SCHEMA_URLS, singleLine, VARIANT_NAME_PATTERN, variantName } from './common.js';

const percentage = {
  type: 'number',
  minimum: 0,
  maximum: 100,
  description: 'Share of users, from 0 to 100, with at most two decimals (0.01 resolution).',
};

const stickiness = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  ...singleLine,
  description:
    'Context attribute whose value buckets users (default userId). Users without it get offVariant.',
};

const scalar = { type: ['string', 'number', 'boolean'] };

const serve = {
  description:
    'Who gets what: a variant name for everyone, or a mapping with exactly one of percentage, split or rollout.',
  type: ['string', 'object'],
  pattern: VARIANT_NAME_PATTERN,
  properties: {
    percentage: {
      ...percentage,
      description: 'Serve `variant` (default on) to this share of users and offVariant to the rest.',
    },
    split: {
      type: 'object',
      description: 'Weighted variants, in order: variant name → weight. Weights sum to 100.',
      minProperties: 1,
      propertyNames: nameKeys(VARIANT_NAME_PATTERN),
      additionalProperties: { ...percentage, description: 'Weight of this variant, 0 to 100.' },
    },
    rollout: {
      type: 'object',
      description: 'A progressive rollout whose percentage steps up at the given times, without a cron job.',
      required: ['stages'],
      additionalProperties: false,
      properties: {
        stages: {
          type: 'array',
          minItems: 1,
          description: 'Steps in time order; before the first step nobody gets the variant.',
          items: {
            type: 'object',
            description: 'From `at` on, `percentage` of users get the variant.',
            required: ['at', 'percentage'],
            additionalProperties: false,
            properties: {
              at: {
                type: 'string',
                format: 'date-time',
                description:
                  'When this step starts: an RFC 3339 time with a zone, e.g. 2026-11-24T09:00:00Z.',
              },
              percentage,
              guards: { ...guardList, description: 'Guards this stage must pass before it begins (measured during the stage before), and keep passing while it is served.' },
            },
          },
        },
      },
    },
    variant: variantName('The variant that the selected share of users gets (default on).'),
    stickiness,
  },
  additionalProperties: false,
  oneOf: [
    { type: 'string' },
    { type: 'object', required: ['percentage'] },
    { type: 'object', required: ['split'] },
    { type: 'object', required: ['rollout'] },
  ],
};

export const condition = {
  type: 'object',
  description: 'A test on one context attribute.',
  required: ['attribute', 'op'],
  additionalProperties: false,
  properties: {
    attribute: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      ...singleLine,
      description: 'Name of the context attribute, e.g. plan, country, appVersion.',
    },
    op: {
      enum: [...OPERATORS],
      description: `Operator: ${OPERATORS.join(', ')}.`,
    },
    value: { ...scalar, description: 'The value to compare with (every operator but in and not_in).' },
    values: {
      type: 'array',
      minItems: 1,
      items: { ...scalar, description: 'One accepted value.' },
      description: 'The accepted values (operators in and not_in).',
    },
  },
  allOf: [
    { if: { properties: { op: { enum: [...LIST_OPERATORS] } } }, then: { required: ['values'] } },
    {
      if: { properties: { op: { not: { enum: [...LIST_OPERATORS] } } } },
      then: { required: ['value'] },
    },
    {
      if: { properties: { op: { enum: [...NUMBER_OPERATORS] } } },
      then: { properties: { value: { type: 'number' } } },
    },
    {
      if: { properties: { op: { enum: [...STRING_OPERATORS, ...SEMVER_OPERATORS, ...DATE_OPERATORS] } } },
      then: { properties: { value: { type: 'string' } } },
    },
  ],
};

const key = (what: string) => ({ type: 'string', pattern: FLAG_KEY_PATTERN, description: what });

/** `segments: [a, b]` (all of them) or `segments: { any: [a, b] }` (at least one). */
const segmentRefs = {
  description: 'Segments (files under segments/, by key): a list means all of them; { any: [...] } means at least one.',
  type: ['array', 'object'],
  minItems: 1,
  uniqueItems: true,
  items: key('A segment key: the name of its file under segments/ without .yaml.'),
  required: ['any'],
  additionalProperties: false,
  properties: {
    any: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: key('A segment key.'),
      description: 'At least one of these segments.',
    },
  },
};

const users = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, ...singleLine, description: 'A user id (the context targetingKey or userId).' },
  description: 'Allowlist of user ids.',
};

const groups = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, ...singleLine, description: 'A group name, matched against context.groups.' },
  description: 'Allowlist of groups.',
};

/** Who a rule (or a segment) matches: the properties both state. */
export const matchProperties = {
  users,
  groups,
  when: {
    type: 'array',
    minItems: 1,
    items: { $ref: '#/$defs/condition' },
    description: 'Attribute conditions, all of which must hold.',
  },
  segments: segmentRefs,
};

const requires = {
  type: 'array',
  minItems: 1,
  description:
    'Prerequisites: flags that must serve a variant (for the same user) before this flag is evaluated; otherwise it serves offVariant with reason PREREQUISITE_FAILED.',
  items: {
    description: 'A flag key (it must serve its on value, the variant that is true), or { flag, variant }.',
    type: ['string', 'object'],
    pattern: FLAG_KEY_PATTERN,
    required: ['flag'],
    additionalProperties: false,
    properties: {
      flag: key('The flag that must serve `variant`.'),
      variant: variantName('The variant it must serve (default: its variant that is true).'),
    },
  },
};

const rule = {
  type: 'object',
  description: 'A targeting rule: a user matches when every condition given holds. First match wins.',
  required: ['serve'],
  additionalProperties: false,
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      ...singleLine,
      description: 'A short name, shown in evaluation reasons and diffs.',
    },
    ...matchProperties,
    serve: { $ref: '#/$defs/serve', description: 'What the users this rule matches get.' },
  },
  anyOf: [{ required: ['users'] }, { required: ['groups'] }, { required: ['when'] }, { required: ['segments'] }],
};

const environment = {
  type: 'object',
  description: 'The flag in one environment.',
  required: ['enabled'],
  additionalProperties: false,
  properties: {
    enabled: {
      type: 'boolean',
      description: 'false serves offVariant to everyone, whatever the rules say (the kill switch).',
    },
    requires: { ...requires, description: `${requires.description} Added to the flag's own requires, in this environment.` },
    rules: {
      type: 'array',
      items: { $ref: '#/$defs/rule' },
      description: 'Targeting rules, tried in order; the first match decides.',
    },
    serve: { $ref: '#/$defs/serve', description: 'Everyone no rule matched.' },
  },
};

/** The JSON Schema (draft 2020-12) of one flag file: the source of schema/flag.schema.json. */
export const flagSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: SCHEMA_URLS.flag,
  title: 'flagops flag',
  description: 'One feature flag. The file name (without .yaml) is the flag key.',
  type: 'object',
  required: ['description', 'owner', 'type', 'created', 'environments'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Editor hint; ignored by flagops.' },
    key: {
      type: 'string',
      pattern: FLAG_KEY_PATTERN,
      description: 'Optional; when given it must equal the file name.',
    },
    description: {
      type: 'string',
      minLength: 1,
      maxLength: 1000,
      description: 'What the flag controls, for reviewers and the people who clean it up.',
    },
    owner: {
      type: 'string',
      minLength: 1,
      ...singleLine,
      description: 'Who answers for the flag: a GitHub @handle, an @org/team or an e-mail address.',
    },
    type: {
      enum: [...FLAG_TYPES],
      description:
        'release and experiment flags are temporary and must expire; ops, permission and kill-switch flags may live on.',
    },
    created: { type: 'string', format: 'date', description: 'The day the flag was created (YYYY-MM-DD).' },
    expires: {
      type: 'string',
      format: 'date',
      description:
        'The last day code may use the flag (YYYY-MM-DD, a UTC day): from the next day on, flagops check fails where code still reads it.',
    },
    tags: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 64, ...singleLine, description: 'A free label.' },
      description: 'Free labels for grouping and search.',
    },
    variants: {
      type: 'object',
      minProperties: 1,
      propertyNames: nameKeys(VARIANT_NAME_PATTERN),
      additionalProperties: {
        description: 'The value served: any JSON value, the same type for every variant.',
      },
      description: 'Variant name → value. Default: { on: true, off: false }.',
    },
    offVariant: variantName(
      'Served when the flag is disabled, and to users outside a percentage (default off).',
    ),
    salt: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'Bucketing salt (default: the flag key). Changing it reshuffles every user.',
    },
    metadata: {
      type: 'object',
      maxProperties: 32,
      propertyNames: nameKeys(METADATA_NAME_PATTERN),
      additionalProperties: {
        type: ['string', 'number', 'boolean'],
        description: 'A string, a number or true/false.',
      },
      description:
        'Free facts about the flag (ticket, dashboard, version…), returned with every evaluation as OpenFeature flag metadata.',
    },
    requires,
    guards: { ...guardList, description: 'Guards on every stage of every rollout of the flag, in every environment.' },
    environments: {
      type: 'object',
      description:
        'Environment name → the flag in that environment. Names must be declared in flagops.config.yaml.',
      minProperties: 1,
      propertyNames: nameKeys(ENVIRONMENT_NAME_PATTERN),
      additionalProperties: { $ref: '#/$defs/environment' },
    },
  },
  $defs: { environment, rule, condition, serve },
} as const;
