import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

/**
 * A flag spec file without the cases of removed flags: the other cases, and every comment and
 * blank line around them, stay as written. `null`: every case was about a removed flag, so the
 * file goes; `undefined`: nothing to change (or the file does not parse, which `check` reports).
 */
export function withoutCases(text: string, removed: ReadonlySet<string>): string | null | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const fileFlag = doc.contents.get('flag');
  const cases = doc.contents.get('cases', true);
  if (!isSeq(cases)) return undefined;
  const flagOf = (item: unknown) => {
    const own = isMap(item) ? item.get('flag') : undefined;
    return String(own ?? fileFlag ?? '');
  };
  const drop = cases.items.map((item) => removed.has(flagOf(item)));
  if (!drop.includes(true)) return undefined;
  if (!drop.includes(false)) return null;
  const lineStart = (pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
  let out = text;
  // Last first, so earlier ranges stay where they are.
  for (let i = cases.items.length - 1; i >= 0; i--) {
    if (!drop[i]) continue;
    const item = cases.items[i]!;
    const range = isMap(item) || isScalar(item) ? item.range : undefined;
    if (!range) return undefined;
    const next = cases.items[i + 1] as { range?: [number, number, number] } | undefined;
    let start = lineStart(range[0]);
    // The last case takes the blank lines that set it apart from the one before.
    while (!next && start > 0 && text.slice(lineStart(start - 1), start).trim() === '') start = lineStart(start - 1);
    let end = next?.range ? lineStart(next.range[0]) : range[2];
    // Comments right above the next case are about that case.
    while (next && end > start) {
      const previous = lineStart(end - 1);
      if (!text.slice(previous, end).trim().startsWith('#')) break;
      end = previous;
    }
    out = out.slice(0, start) + out.slice(end);
  }
  return out;
}
