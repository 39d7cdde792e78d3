import { mkdirSync, writeFileSync } from 'node:fs';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { configSchema } from '../core/definition/schema/config-schema.js';
import { flagSchema } from '../core/definition/schema/flag-schema.js';
import { segmentSchema } from '../core/definition/schema/segment-schema.js';
import { createAjv, type SchemaName, schemaHash, standaloneOptions } from '../core/definition/validate/ajv.js';

type Standalone = typeof standaloneModule.default;
const standaloneCode: Standalone =
  (standaloneModule as unknown as { default?: Standalone }).default ?? (standaloneModule as unknown as Standalone);

/** Part of `npm run build`: writes dist/core/definition/validate/generated/<name>.cjs for each schema. */
const schemas: Record<SchemaName, object> = { flag: flagSchema, config: configSchema, segment: segmentSchema };
const folder = new URL('../core/definition/validate/generated/', import.meta.url);
mkdirSync(folder, { recursive: true });
for (const [name, schema] of Object.entries(schemas)) {
  const ajv = createAjv(standaloneOptions());
  const code = standaloneCode(ajv, ajv.compile(schema));
  writeFileSync(new URL(`${name}.cjs`, folder), `${code}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash(schema))};\n`);
}
