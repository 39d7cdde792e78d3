import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * Positions of a YAML document's nodes, by JSON path. Lookups never fail: a path that leaves the
 * document resolves to its deepest existing ancestor, so every diagnostic lands inside the file.
 */
export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** `part: 'key'` points at the mapping key that holds the value (e.g. for unknown fields). */
  locate(path: readonly PathSegment[], part: 'key' | 'value' = 'value'): Span {
    let node: unknown = this.doc.contents;
    let keyNode: unknown;
    for (let i = 0; i < path.length && node; i++) {
      const segment = path[i]!;
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
        );
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        keyNode = undefined;
        node = node.items[segment];
      } else {
        break;
      }
    }
    const target = part === 'key' && keyNode ? keyNode : (node ?? keyNode);
    return this.spanOf(target as Node | undefined);
  }

  spanOfOffsets(start: number, end: number): Span {
    const a = this.lineCounter.linePos(start);
    const b = this.lineCounter.linePos(Math.max(start, end));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }

  private spanOf(node: Node | undefined): Span {
    const range = node && 'range' in node ? node.range : undefined;
    if (!range) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    return this.spanOfOffsets(range[0], range[1]);
  }
}
