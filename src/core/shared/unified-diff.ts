/**
 * A unified diff of two texts (what `git diff` prints), for --dry-run: Myers' algorithm on lines,
 * three lines of context.
 */
export function unifiedDiff(path: string, before: string | null, after: string | null, context = 3): string {
  const a = before === null ? [] : splitLines(before);
  const b = after === null ? [] : splitLines(after);
  const ops = diffLines(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.op === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend over changes closer together than two contexts.
    for (;;) {
      while (end < ops.length && ops[end]!.op !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.op === ' ') next++;
      if (next < ops.length && next - end <= context * 2) end = next;
      else break;
    }
    end = Math.min(ops.length, end + context);
    const slice = ops.slice(start, end);
    const aStart = ops[start]!.a;
    const bStart = ops[start]!.b;
    const aCount = slice.filter((o) => o.op !== '+').length;
    const bCount = slice.filter((o) => o.op !== '-').length;
    hunks.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const o of slice) hunks.push(`${o.op}${o.line}`);
    i = end;
  }
  if (hunks.length === 0) return '';
  const from = before === null ? '/dev/null' : `a/${path}`;
  const to = after === null ? '/dev/null' : `b/${path}`;
  return [`--- ${from}`, `+++ ${to}`, ...hunks].join('\n') + '\n';
}

const range = (start: number, count: number) => (count === 0 ? `${start},0` : count === 1 ? `${start + 1}` : `${start + 1},${count}`);

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

interface Op {
  op: ' ' | '-' | '+';
  line: string;
  /** 0-based line in a (or where it would be) and in b. */
  a: number;
  b: number;
}

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  if (a.length === 0) return b.map((line, i) => ({ op: '+', line, a: 0, b: i }));
  if (b.length === 0) return a.map((line, i) => ({ op: '-', line, a: i, b: 0 }));
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ op: ' ', line: a[x]!, a: x, b: y });
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ op: '+', line: b[--y]!, a: x, b: y });
    else ops.push({ op: '-', line: a[--x]!, a: x, b: y });
  }
  return ops.reverse();
}

/**
 * Where a 1-based line of `after` was in `before`: the same line when it is unchanged
 * (`changed: false`), else the line it most likely replaced: of the lines its run of changes
 * removed, the one that starts most like it.
 */
export function lineBefore(before: string, after: string, line: number): { line: number; changed: boolean } {
  const a = splitLines(before);
  const ops = diffLines(a, splitLines(after));
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (o.b !== line - 1 || o.op === '-') continue;
    if (o.op === ' ') return { line: o.a + 1, changed: false };
    let start = i;
    while (start > 0 && ops[start - 1]!.op !== ' ') start--;
    let end = i;
    while (end < ops.length && ops[end]!.op !== ' ') end++;
    const removed = ops.slice(start, end).filter((r) => r.op === '-');
    const likeness = (r: Op) => commonPrefix(r.line, o.line);
    const best = removed.reduce<Op | undefined>((top, r) => (top === undefined || likeness(r) > likeness(top) ? r : top), undefined);
    return { line: Math.min((best?.a ?? o.a) + 1, Math.max(a.length, 1)), changed: true };
  }
  return { line: Math.min(line, Math.max(a.length, 1)), changed: true };
}

function commonPrefix(x: string, y: string): number {
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}
