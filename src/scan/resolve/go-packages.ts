import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The file that declares a package-level name, for the Go adapter's specifiers
 * (`<import path>#<name>`, `.#<name>` for the importing file's own package). An import path
 * inside the module (`go.mod`'s `module` line, found above the importing file) is the folder below
 * the module's root; a package elsewhere (the standard library, the module cache) is not followed:
 * a flag key lives in the project. Of the package's files, the one whose text declares the name.
 */
export class GoPackages {
  private readonly modules = new Map<string, { root: string; path: string } | undefined>();
  private readonly texts = new Map<string, [file: string, text: string][]>();

  constructor(private readonly root: string) {}

  resolve(specifier: string, fromFile: string): string | undefined {
    const hash = specifier.lastIndexOf('#');
    if (hash <= 0) return undefined;
    const [path, name] = [specifier.slice(0, hash), specifier.slice(hash + 1)];
    const folder = path === '.' ? dirname(fromFile) : this.folderOf(path, fromFile);
    if (folder === undefined) return undefined;
    const declares = new RegExp(`^\\s*(?:(?:const|var)\\s+)?(?:\\(\\s*)?(?:\\w+\\s*,\\s*)*${name}\\b(?:\\s*,\\s*\\w+)*(?:\\s+[\\w.*\\[\\]]+)?\\s*=`, 'm');
    return this.filesOf(folder).find(([file, text]) => file !== fromFile && declares.test(text))?.[0]
      ?? this.filesOf(folder).find(([, text]) => declares.test(text))?.[0];
  }

  private folderOf(importPath: string, fromFile: string): string | undefined {
    const module = this.moduleOf(dirname(fromFile));
    if (!module) return undefined;
    if (importPath !== module.path && !importPath.startsWith(`${module.path}/`)) return undefined;
    const folder = join(module.root, ...importPath.slice(module.path.length).split('/').filter(Boolean));
    return existsSync(folder) ? folder : undefined;
  }

  private moduleOf(dir: string): { root: string; path: string } | undefined {
    if (this.modules.has(dir)) return this.modules.get(dir);
    let found: { root: string; path: string } | undefined;
    const file = join(dir, 'go.mod');
    if (existsSync(file)) {
      const path = /^module\s+(\S+)/m.exec(readFileSync(file, 'utf8'))?.[1];
      if (path) found = { root: dir, path: path.replace(/^"|"$/g, '') };
    }
    const parent = dirname(dir);
    if (!found && parent !== dir && this.inside(parent)) found = this.moduleOf(parent);
    this.modules.set(dir, found);
    return found;
  }

  private filesOf(folder: string): [string, string][] {
    let files = this.texts.get(folder);
    if (!files) {
      files = [];
      try {
        for (const entry of readdirSync(folder, { withFileTypes: true })) {
          if (entry.isFile() && entry.name.endsWith('.go')) files.push([join(folder, entry.name), readFileSync(join(folder, entry.name), 'utf8')]);
        }
      } catch {
        // An unreadable folder declares nothing.
      }
      this.texts.set(folder, files);
    }
    return files;
  }

  private inside(dir: string): boolean {
    const rel = relative(resolve(this.root), resolve(dir));
    return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
  }
}
