import type { DirectedGraph } from 'graphology';
import { CyclicGraphError } from '../errors.ts';

/**
 * Finds one directed cycle (the nodes on it, in order), or null when the graph is acyclic.
 * Iterative DFS with white/grey/black colouring, so deep graphs do not overflow the stack.
 */
export function findCycle(graph: DirectedGraph): string[] | null {
  const colour = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = finished
  const parent = new Map<string, string>();
  for (const root of graph.nodes()) {
    if (colour.has(root)) continue;
    const stack: Array<{ node: string; next: string[]; i: number }> = [
      { node: root, next: graph.outNeighbors(root), i: 0 },
    ];
    colour.set(root, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.i >= frame.next.length) {
        colour.set(frame.node, 2);
        stack.pop();
        continue;
      }
      const child = frame.next[frame.i++]!;
      const c = colour.get(child);
      if (c === 1) {
        // back edge frame.node -> child: the cycle is child -> ... -> frame.node (-> child)
        const cycle: string[] = [];
        for (let n = frame.node; n !== child; n = parent.get(n)!) cycle.push(n);
        cycle.push(child);
        return cycle.reverse();
      }
      if (c === undefined) {
        colour.set(child, 1);
        parent.set(child, frame.node);
        stack.push({ node: child, next: graph.outNeighbors(child), i: 0 });
      }
    }
  }
  return null;
}

/** Kahn's algorithm; ties broken by insertion order. Throws CyclicGraphError naming a cycle. */
export function topologicalOrder(graph: DirectedGraph, source: string): string[] {
  const indegree = new Map<string, number>();
  graph.forEachNode((n) => indegree.set(n, graph.inDegree(n)));
  const queue: string[] = [];
  for (const [n, d] of indegree) if (d === 0) queue.push(n);
  const order: string[] = [];
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head]!;
    order.push(n);
    graph.forEachOutNeighbor(n, (m) => {
      const d = indegree.get(m)! - 1;
      indegree.set(m, d);
      if (d === 0) queue.push(m);
    });
  }
  if (order.length !== graph.order) throw new CyclicGraphError(source, findCycle(graph) ?? []);
  return order;
}
