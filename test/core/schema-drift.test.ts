import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSchema, schemaFiles } from '../../src/scripts/write-schemas.js';
import { repoRoot } from '../helpers/cli.js';

describe('committed JSON Schemas', () => {
  it.each(Object.entries(schemaFiles))('%s is what the code validates with', (path, schema) => {
    const committed = readFileSync(`${repoRoot}${path}`, 'utf8');
    // On failure: run `npm run schema` and commit the result.
    expect(committed).toBe(renderSchema(schema));
  });

  it.each(Object.entries(schemaFiles))('%s describes every property', (_, schema) => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string) => {
      // if/then branches constrain properties declared elsewhere; they declare none of their own.
      if (!node || typeof node !== 'object' || /\/(if|then)$/.test(path)) return;
      const properties = (node as { properties?: Record<string, { description?: string; $ref?: string }> })
        .properties;
      for (const [name, sub] of Object.entries(properties ?? {})) {
        if (!sub.description) missing.push(`${path}.${name}`);
      }
      for (const [key, value] of Object.entries(node)) visit(value, `${path}/${key}`);
    };
    visit(schema, '#');
    expect(missing).toEqual([]);
  });
});
