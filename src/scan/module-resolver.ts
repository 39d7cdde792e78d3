import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseJsonc } from '../core/jsonc.js';
import { isFile } from './discover.js';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];
/** ESM TypeScript imports name the emitted file: './flags.js' means './flags.ts'. */
const EMITTED: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

interface PathAlias {
  prefix: string;
  suffix: string;
  wildcard: boolean;
  targets: string[];
}

/**
 * Import specifier → file, the way TypeScript's bundler resolution finds local files: relative
 * paths with or without extensions, folder index files, and `compilerOptions.paths` from the
 * project's tsconfig.json. Packages are not followed: a flag key lives in the project.
 */
export class ModuleResolver {
  private readonly cache = new Map<string, string | undefined>();
  private readonly aliases: PathAlias[];

  constructor(root: string) {
    this.aliases = readPathAliases(root);
  }

  resolve(specifier: string, fromFile: string): string | undefined {
    const cacheKey = `${dirname(fromFile)}\0${specifier}`;
    if (this.cache.has(cacheKey)) return this.cache.get(cacheKey);
    let found: string | undefined;
    if (specifier.startsWith('.') || isAbsolute(specifier)) {
      found = probe(resolve(dirname(fromFile), specifier));
    } else {
      for (const alias of this.aliases) {
        const match = matchAlias(alias, specifier);
        if (match === undefined) continue;
        for (const target of alias.targets) {
          found = probe(alias.wildcard ? target.replace('*', match) : target);
          if (found) break;
        }
        if (found) break;
      }
    }
    this.cache.set(cacheKey, found);
    return found;
  }
}

function matchAlias(alias: PathAlias, specifier: string): string | undefined {
  if (!alias.wildcard) return specifier === alias.prefix ? '' : undefined;
  if (!specifier.startsWith(alias.prefix) || !specifier.endsWith(alias.suffix)) return undefined;
  if (specifier.length < alias.prefix.length + alias.suffix.length) return undefined;
  return specifier.slice(alias.prefix.length, specifier.length - alias.suffix.length);
}

function probe(base: string): string | undefined {
  const candidates: string[] = [];
  const ext = /\.[cm]?jsx?$/.exec(base)?.[0];
  if (ext) for (const replacement of EMITTED[ext] ?? []) candidates.push(base.slice(0, -ext.length) + replacement);
  candidates.push(base);
  for (const e of EXTENSIONS) candidates.push(base + e);
  for (const e of EXTENSIONS) candidates.push(join(base, `index${e}`));
  return candidates.find(isFile);
}

function readPathAliases(root: string): PathAlias[] {
  const file = join(root, 'tsconfig.json');
  if (!existsSync(file)) return [];
  let options: { baseUrl?: string; paths?: Record<string, string[]> } | undefined;
  try {
    options = (parseJsonc(readFileSync(file, 'utf8')) as { compilerOptions?: typeof options } | undefined)?.compilerOptions;
  } catch {
    return [];
  }
  if (!options?.paths) return [];
  const base = resolve(root, options.baseUrl ?? '.');
  return Object.entries(options.paths).map(([pattern, targets]) => {
    const star = pattern.indexOf('*');
    return {
      prefix: star < 0 ? pattern : pattern.slice(0, star),
      suffix: star < 0 ? '' : pattern.slice(star + 1),
      wildcard: star >= 0,
      targets: (Array.isArray(targets) ? targets : []).map((t) => resolve(base, t)),
    };
  });
}
