import type { SourceFile } from 'ts-morph';

/** Indentation of the line `pos` is on. */
export function indentAt(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/**
 * Removes [start, end) and, when that leaves its line(s) blank, the lines too, so a removed
 * statement or JSX child takes its line with it and nothing else moves.
 */
export function removeRange(sf: SourceFile, start: number, end: number): void {
  const text = sf.getFullText();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd);
  if (/^[ \t]*$/.test(before) && /^[ \t]*;?[ \t]*(\r)?$/.test(after)) {
    let from = lineStart;
    let to = Math.min(lineEnd + 1, text.length);
    // The blank line that set it apart goes too: one blank line stays between what was around it.
    const previousBlank = lineStart > 0 && isBlankLine(text, text.lastIndexOf('\n', lineStart - 2) + 1);
    const nextLine = text.slice(to, text.indexOf('\n', to) === -1 ? text.length : text.indexOf('\n', to));
    if ((previousBlank || lineStart === 0) && nextLine.trim() === '' && to < text.length) to = Math.min(text.indexOf('\n', to) + 1 || text.length, text.length);
    else if (previousBlank && (/^\s*[})\]]/.test(nextLine) || to >= text.length)) from = text.lastIndexOf('\n', lineStart - 2) + 1;
    sf.replaceText([from, to], '');
    return;
  }
  sf.replaceText([start, end], '');
}

function isBlankLine(text: string, start: number): boolean {
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).trim() === '';
}

/**
 * The text between a block's braces, re-indented from the block's own indentation to `indent`,
 * so a kept branch reads as if it had always been written at that level. The first line comes
 * without indentation: it goes where the replaced statement started.
 */
export function unwrapBlockText(text: string, openBrace: number, closeBrace: number, indent: string): string {
  let inner = text.slice(openBrace + 1, closeBrace);
  inner = inner.replace(/^[ \t]*\r?\n/, '').replace(/\s+$/, '');
  return reindent(inner, indent);
}

/** Lines of `body` (each starting with its own indentation) moved to start at `indent`. */
export function reindent(body: string, indent: string): string {
  const lines = body.split('\n');
  const own = /^[ \t]*/.exec(lines.find((l) => l.trim() !== '') ?? '')![0];
  return lines
    .map((line, i) => {
      const moved = line.startsWith(own) ? indent + line.slice(own.length) : line;
      return i === 0 ? moved.trimStart() : line.trim() === '' ? '' : moved;
    })
    .join('\n');
}
