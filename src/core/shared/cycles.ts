/**
 * Edges that lie on a cycle, each with one whole cycle through it (shortest way back), from a graph
 * given as node → successors. Tarjan's strongly connected components: an edge is on a cycle exactly
 * when both ends are in one component that is a cycle (more than one node, or a node naming itself).
 */
export function cycleEdges(nodes: Iterable<string>, next: (node: string) => readonly string[]): Array<{ from: string; to: string; cycle: string[] }> {
  const component = stronglyConnected(nodes, next);
  const out: Array<{ from: string; to: string; cycle: string[] }> = [];
  for (const [from, id] of component) {
    for (const to of next(from)) {
      if (component.get(to) !== id) continue;
      const back = shortestPath(to, from, (n) => next(n).filter((m) => component.get(m) === id));
      if (back) out.push({ from, to, cycle: [from, ...back] });
    }
  }
  return out;
}

function stronglyConnected(nodes: Iterable<string>, next: (node: string) => readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  // Iterative: a chain of thousands of flags must not overflow the call stack.
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; edges: readonly string[]; i: number }> = [];
    const open = (node: string) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: next(node), i: 0 });
    };
    open(root);
    while (work.length > 0) {
      const top = work.at(-1)!;
      if (top.i < top.edges.length) {
        const to = top.edges[top.i++]!;
        if (!index.has(to)) open(to);
        else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const members: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          members.push(member);
        } while (member !== top.node);
        const cyclic = members.length > 1 || next(top.node).includes(top.node);
        if (cyclic) for (const m of members) component.set(m, components);
        components++;
      }
    }
  }
  return component;
}

/** The nodes from `from` to `to` inclusive, fewest edges first; undefined when there is no way. */
function shortestPath(from: string, to: string, next: (node: string) => readonly string[]): string[] | undefined {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    if (node === to) {
      const path: string[] = [];
      for (let n: string | null = node; n !== null; n = previous.get(n)!) path.unshift(n);
      return path;
    }
    for (const m of next(node)) {
      if (!previous.has(m)) {
        previous.set(m, node);
        queue.push(m);
      }
    }
  }
  return undefined;
}
