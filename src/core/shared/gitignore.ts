import { globRegExp } from './glob.js';

interface IgnoreRule {
  /** Folder of the .gitignore file, relative to the project root ('' for the root). */
  base: string;
  negate: boolean;
  dirOnly: boolean;
  re: RegExp;
}

/** .gitignore lines → rules. Blank lines and comments are dropped; `\#` and `\!` escape. */
export function parseGitignore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    rules.push({ base, negate, dirOnly, re: globRegExp(anchored ? line : `**/${line}`) });
  }
  return rules;
}

/** Whether git would ignore `path` (relative to the project root) under these rules: the last match wins. */
export function isIgnored(rules: readonly IgnoreRule[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue;
    if (rule.base !== '' && !path.startsWith(`${rule.base}/`)) continue;
    const relative = rule.base === '' ? path : path.slice(rule.base.length + 1);
    if (rule.re.test(relative)) ignored = !rule.negate;
  }
  return ignored;
}

export type { IgnoreRule };
