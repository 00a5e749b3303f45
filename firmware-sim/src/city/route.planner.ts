import type { City } from './city.types.js';

/**
 * Shortest path (Dijkstra on edge length, binary heap). Returns the node ids from `from` to `to`
 * inclusive, or [from] when unreachable (the network is one component, so only for from === to).
 */
export function shortestPath(city: City, from: number, to: number): number[] {
  if (from === to) return [from];
  const n = city.nodes.length;
  const dist = new Float64Array(n).fill(Infinity);
  const prev = new Int32Array(n).fill(-1);
  const heap: [number, number][] = [];
  const push = (item: [number, number]) => {
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]![0] <= heap[i]![0]) break;
      [heap[p], heap[i]] = [heap[i]!, heap[p]!];
      i = p;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]![0] < heap[m]![0]) m = l;
        if (r < heap.length && heap[r]![0] < heap[m]![0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  };
  dist[from] = 0;
  push([0, from]);
  while (heap.length > 0) {
    const [d, u] = pop();
    if (u === to) break;
    if (d > dist[u]!) continue;
    for (const [v, edgeId] of city.adjacency[u]!) {
      const nd = d + city.edges[edgeId]!.lengthM;
      if (nd < dist[v]!) {
        dist[v] = nd;
        prev[v] = u;
        push([nd, v]);
      }
    }
  }
  if (prev[to] === -1) return [from];
  const path: number[] = [];
  for (let v = to; v !== -1; v = prev[v]!) path.push(v);
  return path.reverse();
}

/** Edge between two adjacent nodes (for its class / speed). */
export function edgeBetween(city: City, a: number, b: number) {
  for (const [v, edgeId] of city.adjacency[a]!) if (v === b) return city.edges[edgeId]!;
  return undefined;
}
