import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type IgnoreRule, isIgnored, parseGitignore } from '../../core/shared/gitignore.js';
import { globMatcher, type PathMatcher } from '../../core/shared/glob.js';
import type { ScanLanguage } from '../../core/definition/config-choices.js';
import { languageOfFile } from './language-files.js';

/** Folders that hold dependencies or build output: never scanned below a scan root. */
export const ALWAYS_SKIPPED = new Set([
  'node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.output',
  '.svelte-kit', '.turbo', '.cache', '.vercel', '.flagops', 'bower_components', 'jspm_packages',
  // Python's virtual environments and caches.
  '.venv', 'venv', '__pycache__', 'site-packages', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache',
  // Go's vendored dependencies.
  'vendor',
]);

export interface DiscoverOptions {
  /** The project root: globs and .gitignore paths are relative to it. */
  root: string;
  /** Files and folders to scan (absolute). Named files are scanned whatever the globs say. */
  paths: readonly string[];
  /** Applied below folders; undefined when the user named the paths (their choice replaces include). */
  include?: readonly string[];
  exclude: readonly string[];
  gitignore: boolean;
  /** `scan.languages`: only files of these languages (default: every language the scanner reads). */
  languages?: readonly ScanLanguage[];
}

export interface Discovered {
  /** Every source file to scan, sorted, as absolute paths. */
  files: string[];
  /** The include globs that matched no source file. */
  unmatched: string[];
  /** Files the include globs matched that are in no language read (by extension, or a language scan.languages leaves out). */
  unread: { extension: string; files: number }[];
}

export function discoverSources(options: DiscoverOptions): Discovered {
  const globs = (options.include ?? []).map((glob) => ({ glob, test: globMatcher([glob]), hit: false }));
  const include: PathMatcher | undefined = options.include
    ? (path) => {
        // Every glob is tried, so that each one that matches something is known to.
        let any = false;
        for (const g of globs) {
          if (g.test(path)) g.hit = any = true;
        }
        return any;
      }
    : undefined;
  const exclude = globMatcher(options.exclude);
  const languages = options.languages ? new Set(options.languages) : undefined;
  // The globs as such, without counting a hit: a glob that matches only files of no language read still matched no source file.
  const includedAtAll = options.include ? globMatcher(options.include) : undefined;
  const unread = new Map<string, number>();
  const out = new Set<string>();
  const rel = (path: string) => relative(options.root, path).split(sep).join('/');
  for (const start of options.paths) {
    const stat = statSync(start);
    // A file named on the command line is scanned whatever it is; one that is no regular file is
    // then reported as unreadable (never read: a FIFO would hang the scan).
    if (!stat.isDirectory()) {
      out.add(start);
      continue;
    }
    const rules = options.gitignore ? gitignoreAbove(options.root, start) : [];
    const walk = (dir: string, rules: IgnoreRule[]) => {
      const here = rel(dir);
      let local = rules;
      if (options.gitignore) {
        const file = join(dir, '.gitignore');
        if (existsSync(file)) local = [...rules, ...parseGitignore(readFileSync(file, 'utf8'), here.startsWith('..') ? '' : here)];
      }
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        const relPath = rel(path);
        // Symlinked folders are not followed: they may loop, and they usually point at other packages.
        if (entry.isDirectory()) {
          if (ALWAYS_SKIPPED.has(entry.name)) continue;
          if (local.length > 0 && isIgnored(local, relPath, true)) continue;
          if (exclude(relPath)) continue;
          walk(path, local);
        } else if (entry.isFile() || (entry.isSymbolicLink() && isFile(path))) {
          const language = languageOfFile(entry.name);
          const read = language !== undefined && (!languages || languages.has(language));
          // Files of no language read are only looked at when the globs name them (cheapest test first).
          if (!read && !includedAtAll?.(relPath)) continue;
          if (local.length > 0 && isIgnored(local, relPath, false)) continue;
          if (exclude(relPath)) continue;
          if (!read) {
            // Included by the globs but in no language read here: named once, by extension.
            countUnread(unread, entry.name, language);
            continue;
          }
          if (include && !include(relPath)) continue;
          out.add(path);
        }
      }
    };
    walk(start, rules);
  }
  return {
    files: [...out].sort(),
    unmatched: globs.filter((g) => !g.hit).map((g) => g.glob),
    unread: [...unread].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([extension, files]) => ({ extension, files })),
  };
}

function countUnread(unread: Map<string, number>, name: string, language: ScanLanguage | undefined): void {
  const extension = language ?? /(\.[^.]+)$/.exec(name)?.[1] ?? name;
  unread.set(extension, (unread.get(extension) ?? 0) + 1);
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The .gitignore files from the project root down to (not including) a scan root below it. */
function gitignoreAbove(root: string, start: string): IgnoreRule[] {
  const relativeStart = relative(root, start);
  if (relativeStart === '' || relativeStart.startsWith('..')) return [];
  const rules: IgnoreRule[] = [];
  let dir = root;
  const parts = relativeStart.split(sep);
  for (let i = 0; i < parts.length; i++) {
    const file = join(dir, '.gitignore');
    if (existsSync(file)) rules.push(...parseGitignore(readFileSync(file, 'utf8'), parts.slice(0, i).join('/')));
    dir = join(dir, parts[i]!);
  }
  return rules;
}
