import type { VrpProblem } from '../solver/model.js';

/** A TSPLIB CVRP instance (node numbers as in the file, 1-based). */
export interface TsplibCvrp {
  name: string;
  dimension: number;
  capacity: number;
  /** maximum route length (DISTANCE), if any */
  maxDistance?: number;
  serviceTime: number;
  coords: [number, number][];
  demands: number[];
  /** index into coords (0-based) */
  depot: number;
}

export class TsplibParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(line > 0 ? `line ${line}: ${message}` : message);
    this.name = 'TsplibParseError';
  }
}

/** Parses the TSPLIB CVRP subset used by the CMT/X instances; errors name the line and the problem. */
export function parseTsplibCvrp(text: string): TsplibCvrp {
  const lines = text.split(/\r?\n/);
  const head: Record<string, { value: string; line: number }> = {};
  let coords: ([number, number] | undefined)[] = [];
  let demands: (number | undefined)[] = [];
  let depot = -1;
  let section: 'none' | 'coord' | 'demand' | 'depot' = 'none';
  const seen = new Set<string>();
  let dim = -1;
  const needDim = (ln: number, what: string): void => {
    if (dim < 0) throw new TsplibParseError(ln, `${what} before DIMENSION`);
  };
  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '' ) continue;
    if (raw === 'EOF') break;
    const kv = /^([A-Z_]+)\s*:\s*(.*)$/.exec(raw);
    if (kv) {
      const key = kv[1]!;
      head[key] = { value: kv[2]!.trim(), line: ln };
      if (key === 'DIMENSION') {
        dim = Number(kv[2]);
        if (!Number.isInteger(dim) || dim < 2) throw new TsplibParseError(ln, `DIMENSION must be an integer ≥ 2, got "${kv[2]}"`);
        coords = new Array(dim);
        demands = new Array(dim);
      }
      section = 'none';
      continue;
    }
    if (/^[A-Z_]+_SECTION$/.test(raw)) {
      if (raw === 'NODE_COORD_SECTION') section = 'coord';
      else if (raw === 'DEMAND_SECTION') section = 'demand';
      else if (raw === 'DEPOT_SECTION') section = 'depot';
      else throw new TsplibParseError(ln, `unsupported section ${raw}`);
      needDim(ln, raw);
      seen.add(raw);
      continue;
    }
    const nums = raw.split(/\s+/).map(Number);
    if (nums.some((x) => !Number.isFinite(x))) throw new TsplibParseError(ln, `expected numbers, got "${raw}"`);
    const node = nums[0]!;
    if (section === 'coord' || section === 'demand') {
      const want = section === 'coord' ? 3 : 2;
      if (nums.length !== want) throw new TsplibParseError(ln, `expected ${want} numbers in ${section === 'coord' ? 'NODE_COORD_SECTION' : 'DEMAND_SECTION'}, got ${nums.length}`);
      if (!Number.isInteger(node) || node < 1 || node > dim)
        throw new TsplibParseError(ln, `node ${node} out of range 1..${dim} (DIMENSION ${dim})`);
      if (section === 'coord') coords[node - 1] = [nums[1]!, nums[2]!];
      else {
        if (nums[1]! < 0) throw new TsplibParseError(ln, `negative demand ${nums[1]}`);
        demands[node - 1] = nums[1]!;
      }
    } else if (section === 'depot') {
      if (node === -1) {
        section = 'none';
        continue;
      }
      if (depot >= 0) throw new TsplibParseError(ln, 'only one depot is supported');
      if (!Number.isInteger(node) || node < 1 || node > dim) throw new TsplibParseError(ln, `depot ${node} out of range 1..${dim}`);
      depot = node - 1;
    } else throw new TsplibParseError(ln, `data outside any section: "${raw}"`);
  }
  const req = (key: string): { value: string; line: number } => {
    const h = head[key];
    if (!h) throw new TsplibParseError(0, `missing ${key}`);
    return h;
  };
  const type = req('TYPE');
  if (type.value !== 'CVRP') throw new TsplibParseError(type.line, `TYPE must be CVRP, got ${type.value}`);
  const ewt = req('EDGE_WEIGHT_TYPE');
  if (ewt.value !== 'EUC_2D') throw new TsplibParseError(ewt.line, `EDGE_WEIGHT_TYPE must be EUC_2D, got ${ewt.value}`);
  req('DIMENSION');
  const capH = req('CAPACITY');
  const capacity = Number(capH.value);
  if (!(capacity > 0)) throw new TsplibParseError(capH.line, `CAPACITY must be a positive number, got "${capH.value}"`);
  for (const s of ['NODE_COORD_SECTION', 'DEMAND_SECTION']) if (!seen.has(s)) throw new TsplibParseError(0, `missing ${s}`);
  for (let i = 0; i < dim; i++) {
    if (!coords[i]) throw new TsplibParseError(0, `NODE_COORD_SECTION has no line for node ${i + 1} (DIMENSION ${dim})`);
    if (demands[i] === undefined) throw new TsplibParseError(0, `DEMAND_SECTION has no line for node ${i + 1} (DIMENSION ${dim})`);
  }
  const num = (key: string): number | undefined => {
    const h = head[key];
    if (!h) return undefined;
    const x = Number(h.value);
    if (!(x >= 0)) throw new TsplibParseError(h.line, `${key} must be a number ≥ 0, got "${h.value}"`);
    return x;
  };
  return {
    name: head['NAME']?.value ?? '',
    dimension: dim,
    capacity,
    maxDistance: num('DISTANCE'),
    serviceTime: num('SERVICE_TIME') ?? 0,
    coords: coords as [number, number][],
    demands: demands as number[],
    depot: depot >= 0 ? depot : 0,
  };
}

/**
 * The CVRP as a VrpProblem: one location per node, the depot's node as every vehicle's start and
 * end, ⌈1.3·Σdemand/Q⌉+3 identical vehicles (unused ones cost nothing). Duration = distance +
 * service, so DISTANCE (maximum route length incl. service) becomes the shift length.
 * Stop i is the i-th non-depot node.
 */
export function cvrpToProblem(c: TsplibCvrp, round: boolean): { problem: VrpProblem; nodeOfStop: number[] } {
  const n = c.dimension;
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = Math.hypot(c.coords[i]![0] - c.coords[j]![0], c.coords[i]![1] - c.coords[j]![1]);
      dist[i * n + j] = round ? Math.round(d) : d;
    }
  const nodeOfStop: number[] = [];
  for (let i = 0; i < n; i++) if (i !== c.depot) nodeOfStop.push(i);
  const total = nodeOfStop.reduce((a, i) => a + c.demands[i]!, 0);
  const fleet = Math.ceil((1.3 * total) / c.capacity) + 3;
  const shiftEnd = c.maxDistance ?? 1e15;
  return {
    nodeOfStop,
    problem: {
      matrices: { size: n, distance: dist, duration: dist.slice() },
      vehicles: Array.from({ length: fleet }, (_, k) => ({
        id: `v${k + 1}`, start: c.depot, end: c.depot, capacity: c.capacity, shiftStart: 0, shiftEnd,
      })),
      stops: nodeOfStop.map((i) => ({
        id: String(i + 1), location: i, demand: c.demands[i]!, serviceS: c.serviceTime, required: true,
      })),
      objective: { perDistance: 1, perDuration: 0 },
    },
  };
}
