import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Ajv from 'ajv/dist/2020.js';
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type addFormatsModule from 'ajv-formats';

// ajv and ajv-formats load only when a schema must be compiled: the prebuilt validators need neither.
const require = createRequire(import.meta.url);

export type SchemaCheck = (value: unknown) => ErrorObject[];
export type SchemaName = 'flag' | 'config' | 'segment';

const FORMATS = ['date', 'date-time'] as const;

export function createAjv(extra: Options = {}): Ajv2020 {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof Ajv;
  const addFormats = (require('ajv-formats') as { default: typeof addFormatsModule.default }).default;
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    ...extra,
  });
  addFormats(ajv, [...FORMATS]);
  return ajv;
}

/** Options for standalone code: the generated module requires ajv-formats itself. */
export function standaloneOptions(): Options {
  const { _ } = require('ajv/dist/2020.js') as typeof Ajv;
  return { code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } };
}

export const schemaHash = (schema: object) => createHash('sha256').update(JSON.stringify(schema)).digest('hex');

/**
 * The validator for a schema. The build writes each schema's validator as standalone code
 * (scripts/build-validators), which loads in milliseconds where compiling costs ~200 ms per process;
 * when that code is missing or was built from another schema, the schema is compiled here instead.
 */
export function schemaCheck(name: SchemaName, schema: object): SchemaCheck {
  const validate = prebuilt(name, schema) ?? createAjv().compile(schema);
  return (value) => (validate(value) ? [] : [...(validate.errors ?? [])]);
}

export type Prebuilt = ValidateFunction & { schemaHash?: string };
const registered = new Map<SchemaName, Prebuilt>();
let loader: ((name: SchemaName) => Prebuilt | undefined) | undefined;

/**
 * Hands over prebuilt validators directly: a bundle (the GitHub Action) has no generated/ folder
 * beside it and no node_modules to compile with, so its entry imports them and registers them here.
 */
export function registerPrebuiltValidators(validators: Partial<Record<SchemaName, Prebuilt>>): void {
  for (const [name, validate] of Object.entries(validators)) registered.set(name as SchemaName, validate);
}

/** Where the build's validators are read from when a schema is first needed: the CLI's entry says. */
export function registerPrebuiltLoader(load: (name: SchemaName) => Prebuilt | undefined): void {
  loader = load;
}

function prebuilt(name: SchemaName, schema: object): ValidateFunction | undefined {
  const found = registered.get(name) ?? loader?.(name);
  return found?.schemaHash === schemaHash(schema) ? found : undefined;
}
