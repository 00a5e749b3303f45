import { SEVERITY, STATE, STATE_COUNT } from './asset-state';

/**
 * The city-zoom picture: assets counted per grid cell per state, for a few cell sizes (one per
 * zoom band). An update moves one count in each band — O(1) — and marks the cell dirty; only dirty
 * cells' features are rebuilt when the (small) cell collection is pushed to the map.
 */
export interface CellProps {
  key: number;
  count: number;
  /** Highest severity among online assets, -1 when every asset is offline/unknown. */
  worst: number;
  /** Share of assets needing attention (severity ≥ 2 or offline), 0..1. */
  problemShare: number;
  problems: number;
  offline: number;
}

export interface CellFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: CellProps;
}

interface Cell {
  counts: Uint32Array;
  n: number;
  sumLon: number;
  sumLat: number;
}

const OFFSET = 2 ** 20;
const cellKey = (ix: number, iy: number): number => (ix + OFFSET) * 2 ** 21 + (iy + OFFSET);

export class GridBand {
  private readonly cells = new Map<number, Cell>();
  private readonly features = new Map<number, CellFeature>();
  private readonly dirty = new Set<number>();
  private list: CellFeature[] | null = [];

  /** `sizeDeg` is the cell width in degrees of longitude; cell height is scaled by `latScale` so cells are square on screen. */
  constructor(
    readonly sizeDeg: number,
    private readonly latScale: number,
  ) {}

  keyOf(lon: number, lat: number): number {
    return cellKey(Math.floor(lon / this.sizeDeg), Math.floor(lat / (this.sizeDeg * this.latScale)));
  }

  add(lon: number, lat: number, state: number, sign: 1 | -1): void {
    const key = this.keyOf(lon, lat);
    let cell = this.cells.get(key);
    if (!cell) {
      if (sign < 0) return;
      cell = { counts: new Uint32Array(STATE_COUNT), n: 0, sumLon: 0, sumLat: 0 };
      this.cells.set(key, cell);
    }
    cell.counts[state] = (cell.counts[state] ?? 0) + sign;
    cell.n += sign;
    cell.sumLon += sign * lon;
    cell.sumLat += sign * lat;
    this.dirty.add(key);
  }

  /** An asset changed state and/or moved: one count out, one in (the same cell when it stayed). */
  move(prevLon: number, prevLat: number, prevState: number, lon: number, lat: number, state: number): void {
    const from = this.keyOf(prevLon, prevLat);
    const to = this.keyOf(lon, lat);
    if (from === to && prevState === state) {
      if (prevLon === lon && prevLat === lat) return;
    }
    this.add(prevLon, prevLat, prevState, -1);
    this.add(lon, lat, state, 1);
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  cell(key: number): Readonly<CellProps> | undefined {
    const c = this.cells.get(key);
    return c ? propsOf(key, c) : undefined;
  }

  /** The cell collection for the map source; rebuilds only the dirty cells. */
  collect(): CellFeature[] {
    if (this.dirty.size > 0) {
      for (const key of this.dirty) {
        const c = this.cells.get(key);
        if (!c || c.n <= 0) {
          this.cells.delete(key);
          this.features.delete(key);
          continue;
        }
        this.features.set(key, {
          type: 'Feature',
          id: key,
          geometry: { type: 'Point', coordinates: [c.sumLon / c.n, c.sumLat / c.n] },
          properties: propsOf(key, c),
        });
      }
      this.dirty.clear();
      this.list = null;
    }
    return (this.list ??= [...this.features.values()]);
  }

  /** True when something changed since the last collect(). */
  get changed(): boolean {
    return this.dirty.size > 0;
  }
}

function propsOf(key: number, c: Cell): CellProps {
  let worst = -1;
  let problems = 0;
  for (let s = 0; s < STATE_COUNT; s++) {
    const n = c.counts[s]!;
    if (n === 0) continue;
    if (s === STATE.offline) {
      problems += n;
      continue;
    }
    if (s === STATE.unknown) continue;
    const sev = SEVERITY[s]!;
    if (sev > worst) worst = sev;
    if (sev >= 2) problems += n;
  }
  const offline = c.counts[STATE.offline]!;
  return { key, count: c.n, worst, problemShare: c.n > 0 ? problems / c.n : 0, problems, offline };
}

/** Cell widths (degrees of longitude), coarse to fine; each about half the previous. */
export const BAND_SIZES = [0.04, 0.02, 0.01, 0.005, 0.0025, 0.00125] as const;

export interface GridSource {
  size: number;
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  state: ArrayLike<number>;
}

export class AggregateGrid {
  readonly bands: GridBand[];
  /** Bands kept up to date; a lazy grid fills a band from the store the first time it is shown. */
  private readonly live: boolean[];

  constructor(
    readonly centerLat: number,
    sizes: readonly number[] = BAND_SIZES,
    lazy = false,
  ) {
    const latScale = Math.cos((centerLat * Math.PI) / 180);
    this.bands = sizes.map((s) => new GridBand(s, latScale));
    this.live = sizes.map(() => !lazy);
  }

  add(lon: number, lat: number, state: number): void {
    for (let i = 0; i < this.bands.length; i++) if (this.live[i]) this.bands[i]!.add(lon, lat, state, 1);
  }

  move(prevLon: number, prevLat: number, prevState: number, lon: number, lat: number, state: number): void {
    for (let i = 0; i < this.bands.length; i++) if (this.live[i]) this.bands[i]!.move(prevLon, prevLat, prevState, lon, lat, state);
  }

  /** Makes band `i` live, counting every asset of `store` into it if it was not yet. */
  ensure(i: number, store: GridSource): GridBand {
    const band = this.bands[i]!;
    if (!this.live[i]) {
      for (let k = 0; k < store.size; k++) band.add(store.lon[k]!, store.lat[k]!, store.state[k]!, 1);
      this.live[i] = true;
    }
    return band;
  }

  /** The band whose cells come closest to `cellPx` CSS pixels wide at `zoom` (512-px world tiles). */
  bandFor(zoom: number, cellPx = 30): number {
    const pxPerDeg = (512 * 2 ** zoom) / 360;
    let best = 0;
    let bestErr = Infinity;
    this.bands.forEach((b, i) => {
      const err = Math.abs(Math.log(b.sizeDeg * pxPerDeg) - Math.log(cellPx));
      if (err < bestErr) {
        bestErr = err;
        best = i;
      }
    });
    return best;
  }
}
