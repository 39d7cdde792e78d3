import { realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ts as TS } from '@ts-morph/common';
import { ts } from '../parse/typescript.js';
import { isFile } from '../discover/discover.js';
import { workspacePackages } from '../discover/workspaces.js';

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

interface ProjectConfig {
  options: TS.CompilerOptions;
  cache: TS.ModuleResolutionCache;
  /** Where the project's build writes, mapped back to where its sources are. */
  outputs: { outDir: string; rootDirs: string[] }[];
}

/**
 * Import specifier → source file, resolved by TypeScript itself: for each importing file the
 * nearest tsconfig.json or jsconfig.json (with its `extends` chain, `baseUrl`, `paths`, `rootDirs`),
 * package.json `exports`, `imports` (`#subpath`), `main` and `types`, and the workspace packages of
 * an npm, yarn or pnpm monorepo by name, linked into node_modules or not. Packages from the
 * registry are not followed (a flag key lives in the project); a build output (`dist/index.js`,
 * `dist/index.d.ts`) is followed back to the source file it was built from.
 */
export class ModuleResolver {
  private readonly cache = new Map<string, string | undefined>();
  private readonly configs = new Map<string, ProjectConfig>();
  private readonly configFiles = new Map<string, string | undefined>();
  private readonly mounts: [virtual: string, real: string][];
  private readonly host: TS.ModuleResolutionHost;
  private readonly defaults: ProjectConfig;

  constructor(private readonly root: string) {
    const modules = join(root, 'node_modules');
    this.mounts = [...workspacePackages(root)]
      .map(([name, dir]) => [join(modules, ...name.split('/')), dir] as [string, string])
      // A package the package manager linked already is read through its link.
      .filter(([virtual]) => !ts.sys.directoryExists(virtual));
    const real = (path: string) => this.real(path);
    this.host = {
      fileExists: (p) => ts.sys.fileExists(real(p)) || this.builtFrom(real(p)) !== undefined,
      readFile: (p) => ts.sys.readFile(real(p)),
      // node_modules and node_modules/@scope hold the mounted packages even where they do not exist.
      directoryExists: (p) => ts.sys.directoryExists(real(p)) || this.mounts.some(([virtual]) => virtual.startsWith(p + sep)),
      realpath: (p) => {
        try {
          return realpathSync(real(p));
        } catch {
          return real(p);
        }
      },
      getCurrentDirectory: () => root,
    };
    this.defaults = this.project(undefined);
  }

  resolve(specifier: string, fromFile: string): string | undefined {
    const cacheKey = `${dirname(fromFile)}\0${specifier}`;
    if (this.cache.has(cacheKey)) return this.cache.get(cacheKey);
    const found = this.lookup(specifier, fromFile);
    this.cache.set(cacheKey, found);
    return found;
  }

  /** The tsconfig.json or jsconfig.json that governs files in this folder, if any. */
  configFileFor(dir: string): string | undefined {
    if (this.configFiles.has(dir)) return this.configFiles.get(dir);
    let found: string | undefined;
    for (const name of CONFIG_NAMES) {
      if (isFile(join(dir, name))) {
        found = join(dir, name);
        break;
      }
    }
    const parent = dirname(dir);
    if (found === undefined && parent !== dir && !dir.endsWith(`${sep}node_modules`)) found = this.configFileFor(parent);
    this.configFiles.set(dir, found);
    return found;
  }

  private lookup(specifier: string, fromFile: string): string | undefined {
    const config = this.configOf(dirname(fromFile));
    const result = ts.resolveModuleName(specifier, fromFile, config.options, this.host, config.cache);
    const resolved = result.resolvedModule?.resolvedFileName;
    if (!resolved) return undefined;
    const file = this.host.realpath!(resolved);
    if (file.split(sep).includes('node_modules')) return undefined;
    return this.sourceOf(file);
  }

  private configOf(dir: string): ProjectConfig {
    const file = this.configFileFor(dir);
    if (file === undefined) return this.defaults;
    let config = this.configs.get(file);
    if (!config) {
      config = this.project(file);
      this.configs.set(file, config);
    }
    return config;
  }

  /** One tsconfig's options, as TypeScript reads them (comments, trailing commas, `extends`). */
  private project(file: string | undefined): ProjectConfig {
    let options: TS.CompilerOptions = {};
    if (file !== undefined) {
      const read = ts.readConfigFile(file, ts.sys.readFile);
      if (read.config !== undefined) {
        // No file listing: only the options matter, and walking a large project's globs is slow.
        const host: TS.ParseConfigHost = { ...ts.sys, useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames, readDirectory: () => [] };
        options = ts.parseJsonConfigFileContent(read.config, host, dirname(file), undefined, file).options;
      }
    }
    const nodeNext = options.moduleResolution === ts.ModuleResolutionKind.Node16 || options.moduleResolution === ts.ModuleResolutionKind.NodeNext;
    const resolution: TS.CompilerOptions = {
      ...options,
      allowJs: true,
      ...(nodeNext ? {} : { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }),
    };
    const outputs: ProjectConfig['outputs'] = [];
    const configDir = file === undefined ? this.root : dirname(file);
    for (const out of [options.outDir, options.declarationDir]) {
      if (out === undefined) continue;
      const sources = (options.rootDir !== undefined ? [options.rootDir] : [join(configDir, 'src'), configDir])
        // An outDir that holds the sources (`outDir: "."`) says nothing about where a file came from.
        .filter((dir) => relative(out, dir).startsWith('..'));
      if (sources.length > 0) outputs.push({ outDir: out, rootDirs: sources });
    }
    return {
      options: resolution,
      cache: ts.createModuleResolutionCache(configDir, (f) => f, resolution),
      outputs,
    };
  }

  /** A build output or declaration file → the source it was built from, when it can be found. */
  private sourceOf(file: string): string {
    const declaration = /\.d\.[cm]?ts$/.test(file);
    if (!declaration && !/\.[cm]?jsx?$/.test(file)) return file;
    return this.builtFrom(file) ?? (declaration ? firstSource(stem(file)) : undefined) ?? file;
  }

  /**
   * The source of a file in a project's outDir (`dist/index.d.ts` → `src/index.ts`), whether the
   * output exists or not: a monorepo is scanned before its packages are built.
   */
  private builtFrom(file: string): string | undefined {
    if (!/\.(?:d\.)?[cm]?[jt]sx?$/.test(file)) return undefined;
    for (const { outDir, rootDirs } of this.configOf(dirname(file)).outputs) {
      const rel = relative(outDir, file);
      if (rel === '' || rel.startsWith('..') || resolve(outDir, rel) !== file) continue;
      for (const dir of rootDirs) {
        const found = firstSource(stem(join(dir, rel)));
        if (found) return found;
      }
    }
    return undefined;
  }

  private real(path: string): string {
    for (const [virtual, real] of this.mounts) {
      if (path === virtual || path.startsWith(virtual + sep)) return real + path.slice(virtual.length);
    }
    return path;
  }
}

const stem = (path: string) => path.replace(/(?:\.d)?\.[cm]?[jt]sx?$/, '');

function firstSource(base: string): string | undefined {
  for (const ext of SOURCE_EXTENSIONS) {
    if (isFile(base + ext)) return base + ext;
  }
  return undefined;
}
