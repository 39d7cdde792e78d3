import picomatch from 'picomatch';

/**
 * Globs as users know them from other tools (picomatch: `**`, `*`, `?`, `[a-z]`, `{a,b}`,
 * `{1..3}`, extglobs such as `+(a|b)`). Paths are relative, with `/` separators; dot files match.
 */
export function globRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob, { dot: true, posix: true });
}

export type PathMatcher = (path: string) => boolean;

/**
 * A matcher for config globs. A glob without a `/` matches the file name in any folder
 * (`*.test.ts`), as in .gitignore; a glob naming a folder (`generated`, `generated/**`) matches
 * everything below it too.
 */
export function globMatcher(globs: readonly string[]): PathMatcher {
  if (globs.length === 0) return () => false;
  const matchers = globs.map((g) => {
    const glob = (g.startsWith('./') ? g.slice(2) : g).replace(/\/$/, '');
    const re = globRegExp(glob);
    if (glob.includes('/')) return (path: string) => re.test(path);
    return (path: string) => re.test(path.slice(path.lastIndexOf('/') + 1));
  });
  const test = (path: string) => matchers.some((m) => m(path));
  return (path) => {
    if (test(path)) return true;
    for (let at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) {
      if (test(path.slice(0, at))) return true;
    }
    return false;
  };
}
