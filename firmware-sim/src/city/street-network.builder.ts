import type { Rng } from '../shared/rng.js';
import { offsetM, type LatLon } from '../shared/geo.js';
import type { StreetEdge, StreetNode } from './city.types.js';

/** Street spacing in metres: local streets every ~160 m, every fifth line an arterial (~800 m). */
export const LOCAL_SPACING_M = 160;
export const ARTERIAL_EVERY = 5;
const JITTER_M = 25;
const LOCAL_DROP_P = 0.1; // missing local segments make the grid irregular
const DIAGONAL_P = 0.04; // a few diagonal lanes

const ROAD_NAMES = [
  'Yan\'an', 'Zhongshan', 'Jiefang', 'Fengqi', 'Qingchun', 'Qingtai', 'Wulin', 'Huancheng', 'Tiyuchang',
  'Wensan', 'Wener', 'Jiaogong', 'Moganshan', 'Shixiang', 'Hushu', 'Desheng', 'Kaixuan', 'Qiutao',
  'Jianguo', 'Dongxin', 'Shaoxing', 'Xintang', 'Binsheng', 'Jiangnan', 'Fuchun', 'Tianmushan', 'Baochu',
  'Longjing', 'Nanshan', 'Beishan', 'Hefang', 'Qingbo', 'Wangjiang', 'Jiangcheng', 'Qianjiang', 'Shangtang',
];

export interface StreetNetwork {
  nodes: StreetNode[];
  edges: StreetEdge[];
  lines: number;
}

/** A jittered grid of arterials and local streets, reduced to its largest connected component. */
export function buildStreetNetwork(center: LatLon, sizeM: number, rng: Rng): StreetNetwork {
  const lines = Math.max(ARTERIAL_EVERY + 1, Math.round(sizeM / LOCAL_SPACING_M) + 1);
  const step = sizeM / (lines - 1);
  const half = sizeM / 2;
  const isArterial = (i: number) => i % ARTERIAL_EVERY === 0 || i === lines - 1;
  const names = rng.shuffle([...ROAD_NAMES]);
  const nameOf = (dir: 'ew' | 'ns', i: number) => {
    const base = names[(dir === 'ew' ? i : i + 17) % names.length]!;
    if (isArterial(i)) return `${base} ${dir === 'ew' ? 'Road' : 'Avenue'}`;
    return `${base} Lane ${Math.floor(i / ARTERIAL_EVERY) + 1}`;
  };

  const raw: { x: number; y: number }[] = [];
  for (let j = 0; j < lines; j++) {
    for (let i = 0; i < lines; i++) {
      // Arterials stay straight: no jitter across their own line; outer ring stays on the bounds.
      const jx = isArterial(i) ? 0 : rng.range(-JITTER_M, JITTER_M);
      const jy = isArterial(j) ? 0 : rng.range(-JITTER_M, JITTER_M);
      raw.push({ x: -half + i * step + jx, y: -half + j * step + jy });
    }
  }
  const idx = (i: number, j: number) => j * lines + i;
  const candidate: { from: number; to: number; cls: 'arterial' | 'local'; name: string }[] = [];
  for (let j = 0; j < lines; j++) {
    for (let i = 0; i < lines; i++) {
      if (i + 1 < lines) {
        const cls = isArterial(j) ? 'arterial' : 'local';
        if (cls === 'arterial' || !rng.chance(LOCAL_DROP_P)) candidate.push({ from: idx(i, j), to: idx(i + 1, j), cls, name: nameOf('ew', j) });
      }
      if (j + 1 < lines) {
        const cls = isArterial(i) ? 'arterial' : 'local';
        if (cls === 'arterial' || !rng.chance(LOCAL_DROP_P)) candidate.push({ from: idx(i, j), to: idx(i, j + 1), cls, name: nameOf('ns', i) });
      }
      if (i + 1 < lines && j + 1 < lines && rng.chance(DIAGONAL_P)) {
        candidate.push({ from: idx(i, j), to: idx(i + 1, j + 1), cls: 'local', name: `${rng.pick(names)} Diagonal Lane` });
      }
    }
  }

  // Keep the largest connected component so every node is reachable by a truck.
  const parent = raw.map((_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]!]!;
      k = parent[k]!;
    }
    return k;
  };
  for (const e of candidate) parent[find(e.from)] = find(e.to);
  const sizes = new Map<number, number>();
  raw.forEach((_, k) => sizes.set(find(k), (sizes.get(find(k)) ?? 0) + 1));
  let best = 0;
  let bestSize = -1;
  for (const [root, size] of sizes) if (size > bestSize) [best, bestSize] = [root, size];

  const remap = new Map<number, number>();
  const nodes: StreetNode[] = [];
  raw.forEach((p, k) => {
    if (find(k) !== best) return;
    const ll = offsetM(center, p.x, p.y);
    remap.set(k, nodes.length);
    nodes.push({ id: nodes.length, x: p.x, y: p.y, lat: ll.lat, lon: ll.lon });
  });
  const edges: StreetEdge[] = [];
  for (const e of candidate) {
    const from = remap.get(e.from);
    const to = remap.get(e.to);
    if (from === undefined || to === undefined) continue;
    const a = nodes[from]!;
    const b = nodes[to]!;
    edges.push({ id: edges.length, from, to, cls: e.cls, name: e.name, lengthM: Math.hypot(a.x - b.x, a.y - b.y) });
  }
  return { nodes, edges, lines };
}

export function buildAdjacency(nodeCount: number, edges: StreetEdge[]): [number, number][][] {
  const adjacency: [number, number][][] = Array.from({ length: nodeCount }, () => []);
  for (const e of edges) {
    adjacency[e.from]!.push([e.to, e.id]);
    adjacency[e.to]!.push([e.from, e.id]);
  }
  return adjacency;
}
