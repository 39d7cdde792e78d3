import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { parse } from 'yaml';

/** How deep `packages/**` looks for package folders. */
const MAX_DEPTH = 5;

/**
 * The workspace packages of an npm, yarn or pnpm monorepo, by name → folder: from the nearest
 * package.json with `workspaces` (or pnpm-workspace.yaml) at or above the project root, up to the
 * repository's top.
 */
export function workspacePackages(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (let dir = root; ; dir = dirname(dir)) {
    const globs = workspaceGlobs(dir);
    if (globs !== undefined) {
      for (const folder of expand(dir, globs)) {
        const name = packageName(folder);
        if (name !== undefined && !out.has(name)) out.set(name, folder);
      }
      return out;
    }
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return out;
  }
}

function workspaceGlobs(dir: string): string[] | undefined {
  const pnpm = join(dir, 'pnpm-workspace.yaml');
  if (existsSync(pnpm)) {
    const packages = readOr(() => (parse(readFileSync(pnpm, 'utf8'), { maxAliasCount: 0 }) as { packages?: unknown } | null)?.packages);
    return strings(packages);
  }
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const workspaces = readOr(() => (JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces);
  if (Array.isArray(workspaces)) return strings(workspaces);
  if (workspaces && typeof workspaces === 'object') return strings((workspaces as { packages?: unknown }).packages);
  return undefined;
}

/** The folders below `dir` that the workspace globs name (`!` globs take folders out). */
function expand(dir: string, globs: string[]): string[] {
  const clean = (g: string) => g.replace(/^\.\//, '').replace(/\/+$/, '');
  const include = globs.filter((g) => !g.startsWith('!')).map(clean);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => clean(g.slice(1)));
  if (include.length === 0) return [];
  const isIncluded = picomatch(include, { dot: false });
  const isExcluded = exclude.length > 0 ? picomatch(exclude) : () => false;
  const out = new Set<string>();
  const walk = (folder: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const rel = relative(dir, path).split(sep).join('/');
      if (isIncluded(rel) && !isExcluded(rel) && existsSync(join(path, 'package.json'))) out.add(path);
      if (depth > 1) walk(path, depth - 1);
    }
  };
  // Each glob is walked from its fixed part (`packages` of `packages/*`), only as deep as it reaches.
  for (const glob of include) {
    const segments = glob.split('/');
    const fixed = segments.findIndex((s) => /[*?[\]{}()!+@]/.test(s));
    if (fixed < 0) {
      const path = join(dir, ...segments);
      if (!isExcluded(glob) && existsSync(join(path, 'package.json'))) out.add(path);
      continue;
    }
    walk(join(dir, ...segments.slice(0, fixed)), glob.includes('**') ? MAX_DEPTH : segments.length - fixed);
  }
  return [...out].sort();
}

function packageName(folder: string): string | undefined {
  const name = readOr(() => (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name?: unknown }).name);
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function readOr<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
