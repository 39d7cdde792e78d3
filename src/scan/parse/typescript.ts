import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import type { ts as TypeScript } from '@ts-morph/common';

/**
 * The TypeScript compiler that ts-morph bundles, loaded as CommonJS: imported as an ES module,
 * Node first lexes its 9 MB for exports and module syntax, which doubles the load (1.1 s against
 * 0.5 s here). @ts-morph/common's entry point is skipped too: it also loads file-system and glob
 * helpers the scanner does not use.
 */
const require = createRequire(import.meta.url);
const file = require.resolve('@ts-morph/common/dist/typescript.js');

export const ts = (withCodeCache() ?? require(file)) as typeof TypeScript;

/**
 * On Node 20, compiling the compiler is most of its load; V8 can keep the compiled code between
 * runs (Node 22 does so itself: the CLI turns on module.enableCompileCache). The cache lives in
 * the user's own cache folder, never a shared one: code loaded from it runs as that user.
 */
function withCodeCache(): unknown {
  if (process.env.FLAGOPS_CODE_CACHE === '0') return undefined;
  if ((process.versions.node.split('.').map(Number)[0] ?? 0) >= 22) return undefined;
  try {
    const folder = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flagops');
    const { size, mtimeMs } = statSync(file);
    const key = createHash('sha256').update(`${process.version}\0${process.versions.v8}\0${file}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 16);
    const cacheFile = join(folder, `typescript-${key}.v8`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // Not cached yet.
    }
    const script = new Script((Module as unknown as { wrap(source: string): string }).wrap(readFileSync(file, 'utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
    // A real module in require's cache: ts-morph (flagops cleanup) then gets this same compiler
    // instead of loading a second one without the cache.
    const module = new Module(file);
    module.filename = file;
    module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
    const run = script.runInThisContext() as (...args: unknown[]) => void;
    run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
    module.loaded = true;
    require.cache[file] = module;
    if ((!cachedData || script.cachedDataRejected) && isMainThread) {
      // Written at exit, once the scan has compiled the functions it uses.
      process.once('exit', () => {
        try {
          mkdirSync(folder, { recursive: true, mode: 0o700 });
          const temp = `${cacheFile}.${process.pid}`;
          writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
          renameSync(temp, cacheFile);
        } catch {
          // A read-only home: no cache, the same result a little later.
        }
      });
    }
    return module.exports;
  } catch {
    return undefined;
  }
}
