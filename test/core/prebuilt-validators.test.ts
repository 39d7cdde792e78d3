import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/core/definition/load/parse-yaml.js';
import { flagSchema } from '../../src/core/definition/schema/flag-schema.js';
import { createAjv, schemaHash } from '../../src/core/definition/validate/ajv.js';
import { fixture, repoRoot } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
const prebuilt = require(`${repoRoot}dist/core/definition/validate/generated/flag.cjs`) as ValidateFunction & { schemaHash: string };
const compiled = createAjv().compile(flagSchema);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(name) ? [full] : [];
  });
}

const summary = (v: ValidateFunction) =>
  (v.errors ?? []).map((e) => ({ keyword: e.keyword, at: e.instancePath, schemaPath: e.schemaPath, params: e.params }));

describe('the prebuilt (standalone) flag validator', () => {
  it('was built from the schema in the code', () => {
    expect(prebuilt.schemaHash).toBe(schemaHash(flagSchema));
  });

  it('reports exactly what the compiled schema reports, on every fixture and example flag', () => {
    const files = [...yamlFiles(fixture('validate')), ...yamlFiles(`${repoRoot}flags`)];
    let checked = 0;
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      const { value } = parseYaml(file, text);
      if (value === undefined) continue;
      expect(prebuilt(value), file).toBe(compiled(value));
      expect(summary(prebuilt), file).toEqual(summary(compiled));
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });
});
