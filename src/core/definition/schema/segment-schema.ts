import { FLAG_KEY_PATTERN } from '../model.js';
import { ENVIRONMENT_NAME_PATTERN, SCHEMA_URLS, singleLine } from './common.js';
import { condition, matchProperties } from './flag-schema.js';

/** The conditions a segment states, at its top and in each all / any / not item. */
const conditions = {
  ...matchProperties,
  all: {
    type: 'array',
    minItems: 1,
    items: { $ref: '#/$defs/match' },
    description: 'Every one of these must match.',
  },
  any: {
    type: 'array',
    minItems: 1,
    items: { $ref: '#/$defs/match' },
    description: 'At least one of these must match.',
  },
  not: { $ref: '#/$defs/match', description: 'This must not match.' },
};

const statesSomething = Object.keys(conditions).map((name) => ({ required: [name] }));

const match = {
  type: 'object',
  description: 'Conditions that all hold for a context: users, groups, when, segments, all, any, not.',
  additionalProperties: false,
  properties: conditions,
  anyOf: statesSomething,
};

/** The JSON Schema (draft 2020-12) of one segment file: the source of schema/segment.schema.json. */
export const segmentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: SCHEMA_URLS.segment,
  title: 'flagops segment',
  description:
    'A reusable audience that flag rules match with segments: [key]. The file name (without .yaml) is the segment key; a context is in the segment when every condition given holds.',
  type: 'object',
  required: ['description', 'owner'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Editor hint; ignored by flagops.' },
    key: { type: 'string', pattern: FLAG_KEY_PATTERN, description: 'Optional; when given it must equal the file name.' },
    description: {
      type: 'string',
      minLength: 1,
      maxLength: 1000,
      description: 'Who is in the segment, in words, for reviewers.',
    },
    owner: {
      type: 'string',
      minLength: 1,
      ...singleLine,
      description: 'Who answers for the segment: a GitHub @handle, an @org/team or an e-mail address.',
    },
    environments: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: ENVIRONMENT_NAME_PATTERN, description: 'A declared environment.' },
      description: 'The environments the segment exists in (default: all). A flag may use it only there.',
    },
    ...conditions,
  },
  anyOf: statesSomething,
  $defs: { match, condition },
} as const;
