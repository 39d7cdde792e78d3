import { metricsSchema } from './guard-schema.js';
import { FLAG_TYPES, KEY_STYLES } from '../model.js';
import { ENVIRONMENT_NAME_PATTERN, nameKeys, SCHEMA_URLS, singleLine } from './common.js';
import { CODEGEN_TARGETS, PRESET_NAMES, SCAN_LANGUAGES, SCANNED_EXTENSIONS } from '../config-choices.js';

const typePolicy = {
  type: 'object',
  description: 'The lifetime policy of one flag type.',
  additionalProperties: false,
  properties: {
    requireExpires: {
      type: 'boolean',
      description: 'Flags of this type must have an expires date.',
    },
    maxLifetimeDays: {
      type: ['integer', 'null'],
      minimum: 1,
      description: 'Longest allowed time from created to expires, in days; null for permanent types.',
    },
    staleAfterDays: {
      type: ['integer', 'null'],
      minimum: 1,
      description:
        'Days after which a flag of this type that serves one variant to everyone counts as stale.',
    },
  },
};

const globs = (description: string) => ({
  type: 'array',
  items: { type: 'string', minLength: 1, description: 'A glob, relative to the project root.' },
  description,
});

const names = (description: string) => ({
  type: 'array',
  items: { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$', description: 'An identifier.' },
  description,
});

/** The JSON Schema (draft 2020-12) of flagops.config.yaml: the source of schema/config.schema.json. */
export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: SCHEMA_URLS.config,
  title: 'flagops configuration',
  description: 'flagops.config.yaml: every setting is optional and has a default.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Editor hint; ignored by flagops.' },
    paths: {
      type: 'object',
      description: 'Where things are, relative to the folder of this file.',
      additionalProperties: false,
      properties: {
        flags: { type: 'string', minLength: 1, description: 'The folder of flag files (default flags).' },
        tests: { type: 'string', minLength: 1, description: 'The folder of flag spec files run by flagops test and check (default flag-tests).' },
        segments: { type: 'string', minLength: 1, description: 'The folder of segment files (default segments; a missing folder means no segments).' },
      },
    },
    environments: {
      type: 'object',
      description: 'The environments flags may name (default: staging and production).',
      minProperties: 1,
      propertyNames: nameKeys(ENVIRONMENT_NAME_PATTERN),
      additionalProperties: {
        type: 'object',
        description: 'Settings of one environment.',
        additionalProperties: false,
        properties: {
          description: { type: 'string', description: 'What this environment is, for people.' },
          prefix: {
            type: 'string',
            minLength: 1,
            maxLength: 128,
            ...singleLine,
            description:
              'Redis key prefix (default flagops:<environment>). Wrap it in braces, {flagops:prod}, to keep the keys in one Redis Cluster slot.',
          },
          redis: {
            type: 'object',
            description: 'Where this environment lives in Redis. Without it (and without --redis), flags sync to the file store.',
            additionalProperties: false,
            properties: {
              url: {
                type: 'string',
                pattern: '^rediss?://',
                description: 'redis:// or rediss:// URL without a password (passwords belong in urlEnv).',
              },
              urlEnv: {
                type: 'string',
                pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
                description: 'Name of the environment variable that holds the Redis URL, password included.',
              },
            },
          },
          file: {
            type: 'string',
            minLength: 1,
            description: 'Path of the file store for this environment (default .flagops/store/<environment>.json).',
          },
        },
      },
    },
    types: {
      type: 'object',
      description: 'Lifetime policy per flag type; what is left out keeps its default.',
      additionalProperties: false,
      properties: Object.fromEntries(FLAG_TYPES.map((t) => [t, typePolicy])),
    },
    limits: {
      type: 'object',
      description: 'Guards against runaway input.',
      additionalProperties: false,
      properties: {
        maxFileBytes: {
          type: 'integer',
          minimum: 1024,
          maximum: 67108864,
          description: 'Largest flag file read, in bytes (default 1048576, 1 MiB).',
        },
      },
    },
    sync: {
      type: 'object',
      description: 'How flagops sync writes.',
      additionalProperties: false,
      properties: {
        simpleKeys: {
          type: 'boolean',
          description:
            'Also write <prefix>:<key> as simple JSON (enabled, percentage, allowed_users, allowed_groups, variants) for flags that shape expresses exactly (default false).',
        },
        maxDeleteShare: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          description: 'Largest share of the live flags one sync may remove without --allow-delete (default 0.25).',
        },
      },
    },
    keys: {
      type: 'object',
      description: 'Rules for flag keys (the flag file names).',
      additionalProperties: false,
      properties: {
        style: {
          enum: [...KEY_STYLES],
          description:
            'One house style for every key: kebab (new-checkout), camel (newCheckout), snake (new_checkout), or any (default: letters, digits, _ . - as teams have them).',
        },
      },
    },
    codegen: {
      type: ['object', 'null'],
      description: 'flagops codegen: a typed TypeScript module and an OpenFeature flag manifest. With this section, flagops check reports them when stale.',
      additionalProperties: false,
      properties: {
        out: { type: 'string', minLength: 1, description: 'The TypeScript module to write (default src/flags.gen.ts).' },
        manifest: { type: ['string', 'null'], minLength: 1, description: 'The OpenFeature CLI flag manifest to write (default flags.json; null: none).' },
        deprecateBeforeDays: {
          type: 'integer',
          minimum: 0,
          description: 'A key is marked @deprecated this many days before its last day, and after (default 7).',
        },
        targets: {
          type: 'array',
          uniqueItems: true,
          items: { enum: [...CODEGEN_TARGETS] },
          description: 'Typed views to generate: flagops (the SDK client), openfeature-server, openfeature-web, openfeature-react (default [flagops]).',
        },
        sdk: { type: 'string', minLength: 1, description: 'The module the flagops SDK types come from (default @flagops/sdk).' },
      },
    },
    diff: {
      type: 'object',
      description: 'flagops diff: reviewing a change to the flags.',
      additionalProperties: false,
      properties: {
        blastRadiusThreshold: {
          type: 'number',
          minimum: 0,
          maximum: 100,
          description:
            'A change that gives this share of users (0 to 100) or more another variant in one environment is a risk-blast-radius warning on its line (default 50).',
        },
      },
    },
    serve: {
      type: 'object',
      description: 'flagops serve: the OFREP server for browsers and services in any language (docs/serve.md).',
      additionalProperties: false,
      properties: {
        cors: {
          type: 'object',
          description: 'Per environment, the browser origins allowed to call it, e.g. production: [https://app.example.com]. None: no browser may.',
          additionalProperties: {
            type: 'array',
            items: { type: 'string', pattern: '^https?://[^/\\s]+$', description: 'An origin: scheme, host and port, no path or trailing slash.' },
            uniqueItems: true,
          },
        },
        limits: {
          type: 'object',
          description: 'What one request may hold; more is refused with a clear error.',
          additionalProperties: false,
          properties: {
            bodyBytes: { type: 'integer', minimum: 256, maximum: 10485760, description: 'Largest request body in bytes (default 65536).' },
            contextDepth: { type: 'integer', minimum: 1, maximum: 64, description: 'Deepest nesting of objects and lists in a context (default 8).' },
            contextEntries: { type: 'integer', minimum: 1, maximum: 100000, description: 'Most attributes and list items in a context (default 1000).' },
            bulkFlags: { type: 'integer', minimum: 1, maximum: 100000, description: 'Most flags one bulk evaluation answers (default 5000).' },
            headersTimeoutMs: {
              type: 'integer',
              minimum: 100,
              maximum: 600000,
              description: 'Most time a client may take to send a request\'s headers, in ms; the connection is closed after it (default 5000).',
            },
            requestTimeoutMs: {
              type: 'integer',
              minimum: 100,
              maximum: 600000,
              description: 'Most time a client may take to send a whole request, body included, in ms; 408 after it (default 10000).',
            },
          },
        },
      },
    },
    cleanup: {
      type: 'object',
      description: 'flagops cleanup: removing a finished flag from the code.',
      additionalProperties: false,
      properties: {
        environment: {
          type: 'string',
          minLength: 1,
          description: 'The environment whose value code keeps: what it serves to everyone there (default production).',
        },
        check: {
          type: ['string', 'null'],
          minLength: 1,
          description:
            'The command that must pass after the code is edited, run in the project root; everything is put back when it fails (default: tsc --noEmit when there is a tsconfig.json; null: none).',
        },
      },
    },
    metrics: metricsSchema,
    scan: {
      type: 'object',
      description: 'What the source scanner reads and what it reports.',
      additionalProperties: false,
      properties: {
        include: globs(`Source files to scan (default: every file of a language the scanner reads: ${SCANNED_EXTENSIONS.map((e) => `.${e}`).join(', ')}).`),
        languages: {
          type: 'array',
          uniqueItems: true,
          minItems: 1,
          items: { enum: [...SCAN_LANGUAGES] },
          description: `Only files in these languages (default: every one the scanner reads: ${SCAN_LANGUAGES.join(', ')}).`,
        },
        exclude: globs('Files to skip, besides node_modules, build output and .gitignore entries.'),
        gitignore: { type: 'boolean', description: 'Skip what .gitignore files ignore (default true).' },
        maxFileBytes: {
          type: 'integer',
          minimum: 1024,
          maximum: 67108864,
          description: 'Larger source files (bundles, generated code) are skipped with a note (default 2097152, 2 MiB).',
        },
        defaultPatterns: {
          type: 'boolean',
          description: 'Count the default presets (flagops, openfeature, react) when scan.presets is not set (default true).',
        },
        presets: {
          type: 'array',
          uniqueItems: true,
          items: { enum: [...PRESET_NAMES] },
          description:
            `The SDKs whose reference forms count, in every language the scanner reads (default flagops, openfeature, react): ${PRESET_NAMES.join(', ')}.`,
        },
        jsx: {
          type: 'array',
          description: 'More JSX elements that read a flag from an attribute: <IfFeatureEnabled feature="new-ui">.',
          items: {
            type: 'object',
            description: 'A component and the attribute that holds the flag key.',
            additionalProperties: false,
            required: ['component', 'attribute'],
            properties: {
              component: { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$.]*$', description: 'The component name, e.g. IfFeatureEnabled.' },
              attribute: { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$-]*$', description: 'The attribute that holds the key, e.g. feature.' },
              strict: { type: 'boolean', description: 'Report keys that match no flag and keys that cannot be resolved (default true).' },
            },
          },
        },
        calls: {
          type: 'array',
          description: 'More functions or methods that read a flag, matched by name.',
          items: {
            type: 'object',
            description: 'A function or method that takes a flag key.',
            additionalProperties: false,
            required: ['name'],
            properties: {
              name: { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$]*[?!]?$', description: 'The function or method name, e.g. isFeatureOn (Ruby\'s may end in ? or !, e.g. enabled?).' },
              argument: { type: 'integer', minimum: 0, maximum: 16, description: 'Position of the key among the arguments, from 0 (default 0).' },
              strict: {
                type: 'boolean',
                description:
                  'Report keys that match no flag and keys that cannot be resolved (default true). false: only keys of defined flags count, for common names.',
              },
            },
          },
        },
        hooks: names('Hooks or functions returning an object of all flags: const { newCheckout } = useFlags() (useFlags is built in).'),
        maps: names('Names of objects holding all flags: featureFlags[FLAGS.X], flags.newCheckout.'),
        dynamicReferences: {
          enum: ['info', 'warning', 'error'],
          description: 'Severity of references whose key cannot be resolved statically (default info).',
        },
        unusedAfterDays: {
          type: 'integer',
          minimum: 0,
          description: 'A flag no code reads is reported once it is this many days old (default 14).',
        },
        expiringWithinDays: {
          type: 'integer',
          minimum: 0,
          description: 'Warn this many days before a flag expires (default 7).',
        },
        ignore: {
          type: 'array',
          description: 'Findings to silence: every field given must match.',
          items: {
            type: 'object',
            description: 'One silenced finding pattern.',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              code: {
                enum: [
                  'orphaned-reference',
                  'expired-flag-referenced',
                  'expired-flag-unreferenced',
                  'unused-flag',
                  'stale-flag',
                  'expiring-soon',
                  'dynamic-reference',
                  'source-unreadable',
                  'source-too-large',
                ],
                description: 'The finding code, e.g. unused-flag.',
              },
              flag: { type: 'string', minLength: 1, description: 'A flag key or glob, e.g. legacy-*.' },
              file: { type: 'string', minLength: 1, description: 'A file glob, relative to the project root.' },
            },
          },
        },
      },
    },
  },
} as const;
