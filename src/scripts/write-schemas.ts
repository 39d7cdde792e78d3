import { writeFileSync } from 'node:fs';
import { configSchema } from '../core/definition/schema/config-schema.js';
import { flagSchema } from '../core/definition/schema/flag-schema.js';
import { segmentSchema } from '../core/definition/schema/segment-schema.js';

/** The committed schema files, generated from the schemas the code validates with. */
export const schemaFiles = {
  'schema/flag.schema.json': flagSchema,
  'schema/config.schema.json': configSchema,
  'schema/segment.schema.json': segmentSchema,
} as const;

export const renderSchema = (schema: object) => `${JSON.stringify(schema, null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [path, schema] of Object.entries(schemaFiles)) {
    writeFileSync(new URL(`../../${path}`, import.meta.url), renderSchema(schema));
    console.log(`wrote ${path}`);
  }
}
