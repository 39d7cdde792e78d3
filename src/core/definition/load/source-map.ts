import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';

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
  private readonly lines: LineIndex;
  /** Each mapping's pairs by key, built on first use: a lookup per diagnostic must not scan the mapping. */
  private readonly pairs = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    private readonly doc: Document,
    text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  /** `part: 'key'` points at the mapping key that holds the value (e.g. for unknown fields). */
  locate(path: readonly PathSegment[], part: 'key' | 'value' = 'value'): Span {
    return this.spanOf(this.nodeAt(path, part));
  }

  /** The offsets of the node at a path in the text, as the parser saw it. */
  rangeOf(path: readonly PathSegment[]): [number, number] {
    const node = this.nodeAt(path, 'value');
    const range = node && 'range' in node ? node.range : undefined;
    return range ? [range[0], range[1]] : [0, 0];
  }

  private nodeAt(path: readonly PathSegment[], part: 'key' | 'value'): Node | undefined {
    let node: unknown = this.doc.contents;
    let keyNode: unknown;
    for (let i = 0; i < path.length && node; i++) {
      const segment = path[i]!;
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = this.pairsOf(node).get(String(segment));
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
    return (part === 'key' && keyNode ? keyNode : (node ?? keyNode)) as Node | undefined;
  }

  private pairsOf(map: YAMLMap): Map<string, Pair> {
    let index = this.pairs.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        // The first pair with a key wins, as a linear search would find it.
        if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
      }
      this.pairs.set(map, index);
    }
    return index;
  }

  spanOfOffsets(start: number, end: number): Span {
    const a = this.lines.position(start);
    const b = this.lines.position(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  private spanOf(node: Node | undefined): Span {
    const range = node && 'range' in node ? node.range : undefined;
    if (!range) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    return this.spanOfOffsets(range[0], range[1]);
  }
}

/**
 * Offsets → 1-based line and column, from the text itself. (yaml's LineCounter only knows the lines
 * its lexer reached, which after a syntax error is not all of them.) Offsets are clamped to the text.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    const at = Math.min(Math.max(0, offset), this.text.length);
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - this.starts[low]! + 1 };
  }
}
