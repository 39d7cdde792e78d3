import { globRegExp } from './glob.js';

interface OwnerRule {
  re: RegExp;
  dirOnly: boolean;
  owners: string[];
}

/**
 * CODEOWNERS lines → rules (GitHub's syntax: gitignore-like patterns, then owners). Lines without
 * owners unset ownership for their paths, as on GitHub.
 */
export function parseCodeowners(text: string): OwnerRule[] {
  const rules: OwnerRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(?<!\\)#.*$/, '').trim();
    if (!line) continue;
    const [pattern = '', ...owners] = line.split(/\s+/);
    let body = pattern;
    const dirOnly = body.endsWith('/');
    if (dirOnly) body = body.slice(0, -1);
    const anchored = body.includes('/');
    if (body.startsWith('/')) body = body.slice(1);
    if (!body) continue;
    rules.push({ re: globRegExp(anchored ? body : `**/${body}`), dirOnly, owners });
  }
  return rules;
}

/** The owners of a path (relative to the repository root, `/` separators): the last matching rule wins. */
export function ownersOf(rules: readonly OwnerRule[], path: string): string[] {
  const parts = path.split('/');
  // A pattern matches the path itself, or one of the folders it lies in (then everything below).
  const folders = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
  let owners: string[] = [];
  for (const rule of rules) {
    const matches = (!rule.dirOnly && rule.re.test(path)) || folders.some((folder) => rule.re.test(folder));
    if (matches) owners = rule.owners;
  }
  return owners;
}
