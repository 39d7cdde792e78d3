import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The file a Python import names: `.flags` and `..app.flags` from the importing file's package,
 * `app.flags` from the folders above it (a module is `app/flags.py` or the package
 * `app/flags/__init__.py`), up to the project root. Installed packages are not followed: a flag
 * key lives in the project.
 */
export class PythonModules {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly root: string) {}

  resolve(specifier: string, fromFile: string): string | undefined {
    const key = `${dirname(fromFile)}\0${specifier}`;
    if (!this.cache.has(key)) this.cache.set(key, this.find(specifier, fromFile));
    return this.cache.get(key);
  }

  private find(specifier: string, fromFile: string): string | undefined {
    const dots = /^\.*/.exec(specifier)![0].length;
    const parts = specifier.slice(dots).split('.').filter(Boolean);
    if (dots > 0) {
      let base = dirname(fromFile);
      for (let i = 1; i < dots; i++) base = dirname(base);
      return moduleAt(base, parts);
    }
    // Absolute: the first folder at or above the importing file, inside the project, that holds it.
    for (let dir = dirname(fromFile); this.inside(dir); dir = dirname(dir)) {
      const found = moduleAt(dir, parts);
      if (found) return found;
      if (dir === dirname(dir)) break;
    }
    return undefined;
  }

  private inside(dir: string): boolean {
    const rel = relative(resolve(this.root), resolve(dir));
    return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
  }
}

function moduleAt(base: string, parts: readonly string[]): string | undefined {
  const path = join(base, ...parts);
  if (parts.length > 0 && isFile(`${path}.py`)) return `${path}.py`;
  const init = join(path, '__init__.py');
  return isFile(init) ? init : undefined;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
