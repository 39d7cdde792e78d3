import { createRequire } from 'node:module';
import { type Prebuilt, registerPrebuiltLoader, type SchemaName } from '../core/definition/validate/ajv.js';

const require = createRequire(import.meta.url);

/**
 * Validation reads the standalone validators `npm run build` writes (src/scripts/build-validators)
 * when a schema is first needed; a missing one (a source checkout that was not built) is compiled
 * instead. The path holds from dist/files/ and from the CLI's bundle in dist/cli/ alike.
 */
export function usePrebuiltValidators(): void {
  registerPrebuiltLoader((name: SchemaName) => {
    try {
      return require(`../core/definition/validate/generated/${name}.cjs`) as Prebuilt;
    } catch {
      return undefined;
    }
  });
}
