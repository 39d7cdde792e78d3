/**
 * Globs for include/exclude settings and .gitignore lines: `**` spans folders, `*` and `?` stay
 * inside one path segment, `{a,b}` picks one of several, `[abc]` one character.
 * Paths are relative, with `/` separators.
 */
export function globToRegExpSource(glob: string): string {
  let out = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        const atSegmentEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atSegmentStart && atSegmentEnd) {
          if (glob[i + 2] === '/') {
            out += '(?:[^/]*/)*';
            i += 2;
          } else {
            out += '.*';
            i += 1;
          }
          continue;
        }
        i += 1;
      }
      out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '{') {
      inBraces++;
      out += '(?:';
    } else if (ch === '}' && inBraces > 0) {
      inBraces--;
      out += ')';
    } else if (ch === ',' && inBraces > 0) out += '|';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else if (ch === '\\' && i + 1 < glob.length) {
      out += escapeRegExp(glob[++i]!);
    } else out += escapeRegExp(ch);
  }
  return out + ')'.repeat(inBraces);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export type PathMatcher = (path: string) => boolean;

/**
 * A matcher for config globs. A glob without a `/` matches the file name in any folder
 * (`*.test.ts`), as in .gitignore; a glob naming a folder (`generated/**`) matches below it.
 */
export function globMatcher(globs: readonly string[]): PathMatcher {
  if (globs.length === 0) return () => false;
  const sources = globs.map((g) => {
    const glob = g.startsWith('./') ? g.slice(2) : g;
    const body = globToRegExpSource(glob.replace(/\/$/, ''));
    return glob.includes('/') && !glob.endsWith('/') ? `^${body}(?:/.*)?$` : `^(?:.*/)?${body}(?:/.*)?$`;
  });
  const re = new RegExp(sources.join('|'));
  return (path) => re.test(path);
}
