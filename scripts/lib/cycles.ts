// Import circles in a dependency graph, shared by the TypeScript and the Rust checks
// (scripts/import-cycles.ts, scripts/rust-module-cycles.ts).

/**
 * The strongly connected components of the graph that hold a circle (Tarjan): those of more
 * than one node, and with `selfLoops` a node that depends on itself. Nodes are visited in the
 * order given.
 */
export function circularComponents<T>(
  nodes: Iterable<T>,
  next: (v: T) => Iterable<T>,
  selfLoops: boolean,
): T[][] {
  let index = 0;
  const idx = new Map<T, number>();
  const low = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const found: T[][] = [];
  const visit = (v: T) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: T[] = [];
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = selfLoops && [...next(v)].includes(v);
      if (component.length > 1 || selfLoop) found.push(component);
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return found;
}

/**
 * A shortest circle from `start` back to it that stays `inside` (breadth-first), as the nodes
 * in order from `start` (not repeated at the end); `undefined` when there is none.
 */
export function circleThrough<T>(
  start: T,
  inside: Set<T>,
  next: (v: T) => Iterable<T>,
): T[] | undefined {
  const prev = new Map<T, T>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of next(v)) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path: T[] = [];
        for (let u = v; u !== start; u = prev.get(u)!) path.unshift(u);
        return [start, ...path];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return undefined;
}
