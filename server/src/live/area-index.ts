/**
 * Which subscribers want a point: an index of subscribed areas (bbox and/or zones) so routing a
 * reading costs a few map look-ups, not a scan of every client. Bboxes are registered in the
 * cells of a coarse lon/lat grid they overlap; a bbox spanning more than `maxCellsPerArea`
 * cells (a whole-country view) goes to a short "wide" list checked for every point.
 */

/** [west, south, east, north] in degrees. */
export type Bbox = readonly [number, number, number, number];

export interface Area {
  bbox?: Bbox | undefined;
  zones?: readonly string[] | undefined;
}

export interface AreaIndexOptions {
  /** Grid cell edge, degrees (0.05° ≈ 5.5 km north–south). */
  cellDeg: number;
  /** Bboxes covering more cells than this are checked for every point instead. */
  maxCellsPerArea: number;
}

export const AREA_INDEX_DEFAULTS: AreaIndexOptions = { cellDeg: 0.05, maxCellsPerArea: 4096 };

interface Entry {
  bbox: Bbox | undefined;
  zones: readonly string[];
  cells: number[];
  wide: boolean;
}

export function bboxContains(bbox: Bbox, lat: number, lon: number): boolean {
  return lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
}

export class AreaIndex<M> {
  private readonly entries = new Map<M, Entry>();
  private readonly byZone = new Map<string, Set<M>>();
  private readonly byCell = new Map<number, Set<M>>();
  private readonly wide = new Set<M>();
  private readonly options: AreaIndexOptions;

  constructor(options: Partial<AreaIndexOptions> = {}) {
    this.options = { ...AREA_INDEX_DEFAULTS, ...options };
    if (!(this.options.cellDeg > 0)) throw new RangeError('cellDeg must be > 0');
  }

  get size(): number {
    return this.entries.size;
  }

  /** Registers (or replaces) the area of `member`. */
  set(member: M, area: Area): void {
    this.delete(member);
    const entry: Entry = { bbox: area.bbox, zones: [...new Set(area.zones ?? [])], cells: [], wide: false };
    for (const zone of entry.zones) addTo(this.byZone, zone, member);
    if (area.bbox) {
      const [x0, y0, x1, y1] = this.cellRange(area.bbox);
      const count = (x1 - x0 + 1) * (y1 - y0 + 1);
      if (count > this.options.maxCellsPerArea) {
        entry.wide = true;
        this.wide.add(member);
      } else {
        for (let x = x0; x <= x1; x++) {
          for (let y = y0; y <= y1; y++) {
            const key = cellKey(x, y);
            entry.cells.push(key);
            addTo(this.byCell, key, member);
          }
        }
      }
    }
    this.entries.set(member, entry);
  }

  delete(member: M): void {
    const entry = this.entries.get(member);
    if (!entry) return;
    this.entries.delete(member);
    for (const zone of entry.zones) removeFrom(this.byZone, zone, member);
    for (const key of entry.cells) removeFrom(this.byCell, key, member);
    if (entry.wide) this.wide.delete(member);
  }

  /**
   * Calls `visit` once for every member whose zones include `zone` or whose bbox contains the
   * point. Non-finite coordinates match by zone only.
   */
  match(lat: number, lon: number, zone: string | null | undefined, visit: (member: M) => void): void {
    const byZone = zone ? this.byZone.get(zone) : undefined;
    const hasPoint = Number.isFinite(lat) && Number.isFinite(lon);
    const inCell = hasPoint ? this.byCell.get(cellKey(this.cell(lon), this.cell(lat))) : undefined;
    if (byZone) for (const member of byZone) visit(member);
    if (!hasPoint) return;
    const check = (member: M) => {
      if (byZone?.has(member)) return; // already visited through its zone
      const bbox = this.entries.get(member)?.bbox;
      if (bbox && bboxContains(bbox, lat, lon)) visit(member);
    };
    if (inCell) for (const member of inCell) check(member);
    for (const member of this.wide) check(member);
  }

  private cell(deg: number): number {
    return Math.floor(deg / this.options.cellDeg);
  }

  private cellRange(bbox: Bbox): [number, number, number, number] {
    return [this.cell(bbox[0]), this.cell(bbox[1]), this.cell(bbox[2]), this.cell(bbox[3])];
  }
}

/** x and y are cell numbers; with cells ≥ 0.0001° |y| < 2²⁵ and the key stays an exact integer. */
function cellKey(x: number, y: number): number {
  return x * 67_108_864 + y;
}

function addTo<K, M>(map: Map<K, Set<M>>, key: K, member: M): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(member);
}

function removeFrom<K, M>(map: Map<K, Set<M>>, key: K, member: M): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(member);
  if (set.size === 0) map.delete(key);
}
