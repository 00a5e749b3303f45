import type { City } from '../city/city.types.js';
import { shortestPath } from '../city/route.planner.js';
import type { TruckState } from './truck.model.js';

/** How far from its position a truck off its route wanders, metres (straight line). */
export const DETOUR_REACH_M = 2_000;

/**
 * A junction to make a detour through: within `reachM` of `fromNode`, as far as possible from
 * every node the truck should be near (its destination and the rest of its route). Deterministic.
 */
export function detourNode(city: City, fromNode: number, avoidNodes: readonly number[], reachM = DETOUR_REACH_M): number {
  const from = city.nodes[fromNode]!;
  const avoid = [fromNode, ...avoidNodes].map((id) => city.nodes[id]!).filter(Boolean);
  let best = fromNode;
  let bestScore = -1;
  for (const n of city.nodes) {
    if (Math.hypot(n.x - from.x, n.y - from.y) > reachM) continue;
    let score = Infinity;
    for (const a of avoid) score = Math.min(score, Math.hypot(n.x - a.x, n.y - a.y));
    if (score > bestScore) [best, bestScore] = [n.id, score];
  }
  return best;
}

/** Every junction on the shortest paths through `stops` in order (a route's streets). */
export function routeStreets(city: City, stops: readonly number[]): number[] {
  const nodes = new Set<number>(stops);
  for (let i = 1; i < stops.length; i++) for (const n of shortestPath(city, stops[i - 1]!, stops[i]!)) nodes.add(n);
  return [...nodes];
}

/** The street path from `from` to `to` by way of a detour junction away from `avoidNodes`. */
export function detourPath(city: City, from: number, to: number, avoidNodes: readonly number[]): number[] {
  const via = detourNode(city, from, [to, ...avoidNodes]);
  return [...shortestPath(city, from, via), ...shortestPath(city, via, to).slice(1)];
}

/** A driving truck turns off its way at the next junction (it finishes the segment it is on). */
export function spliceDetour(city: City, s: TruckState, avoidNodes: readonly number[]): TruckState {
  const ahead = s.path[s.pathIdx + 1];
  const to = s.path[s.path.length - 1];
  if (ahead === undefined || to === undefined) return s;
  return { ...s, path: [s.path[s.pathIdx]!, ...detourPath(city, ahead, to, avoidNodes)], pathIdx: 0 };
}
