import { dirname } from 'node:path';
import type { ModuleFacts } from '../../core/lifecycle/scan/facts.js';
import { languageFamily } from '../../core/lifecycle/scan/language-family.js';

/**
 * The file that declares a type or constant, for the languages whose names are not imported by
 * path: Java and Kotlin (a package is a folder by convention, and a package's names need no
 * import), C# (namespaces follow no folders), Ruby (constants are global, autoloaded by name) and
 * PHP (PSR-4 maps namespaces to folders). A specifier is a qualified name (`com.acme.flags.Flags`,
 * `App\Flags\Flags`) or a simple one (`Flags`); it finds the scanned files of the same language
 * family that declare its last part at their top level. When several do, the one whose folders end
 * in the qualifier wins, then the one in the importing file's folder, then the nearest by path.
 */
const READS = new Set(['java', 'csharp', 'ruby', 'php']);

export class DeclaredTypes {
  private readonly declaring = new Map<string, string[]>();
  private readonly cache = new Map<string, string | undefined>();

  constructor(modules: readonly ModuleFacts[]) {
    for (const module of modules) {
      const family = familyOf(module.file);
      if (!family) continue;
      for (const name of module.exports.keys()) {
        const key = `${family}\0${name}`;
        const files = this.declaring.get(key);
        if (files) files.push(module.file);
        else this.declaring.set(key, [module.file]);
      }
    }
  }

  /** Whether this resolver answers for files of this name. */
  static reads(file: string): boolean {
    return familyOf(file) !== undefined;
  }

  /** `fromFile` and the answer are as the module graph shows them. */
  resolve(specifier: string, fromFile: string): string | undefined {
    const key = `${dirname(fromFile)}\0${specifier}`;
    if (!this.cache.has(key)) this.cache.set(key, this.find(specifier, fromFile));
    return this.cache.get(key);
  }

  private find(specifier: string, fromFile: string): string | undefined {
    const family = familyOf(fromFile);
    const parts = specifier.split(/\\|::|\./).filter(Boolean);
    const name = parts.pop();
    if (!family || !name) return undefined;
    const files = (this.declaring.get(`${family}\0${name}`) ?? []).filter((file) => file !== fromFile);
    if (files.length <= 1) return files[0];
    const from = dirname(fromFile).split(/[\\/]/);
    const rank = (file: string): number[] => {
      const folders = dirname(file).split(/[\\/]/);
      let qualifier = 0;
      while (qualifier < parts.length && folders.at(-1 - qualifier)?.toLowerCase() === parts.at(-1 - qualifier)!.toLowerCase()) qualifier++;
      let shared = 0;
      while (shared < folders.length && folders[shared] === from[shared]) shared++;
      return [qualifier, dirname(file) === dirname(fromFile) ? 1 : 0, shared, -folders.length];
    };
    return files
      .map((file) => ({ file, rank: rank(file) }))
      .sort((a, b) => compareRanks(b.rank, a.rank) || (a.file < b.file ? -1 : 1))[0]!.file;
  }
}

/** The language family (Java and Kotlin are one), for the families whose types are found by name. */
function familyOf(file: string): string | undefined {
  const family = languageFamily(file);
  return family !== undefined && READS.has(family) ? family : undefined;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
