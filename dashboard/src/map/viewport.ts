import type { AssetStore } from './asset-store';

/** [west, south, east, north] */
export type Bbox = [number, number, number, number];

/** Grows a box by `frac` of its size on every side (so a small pan needs no new data). */
export function padBbox([w, s, e, n]: Bbox, frac: number): Bbox {
  const dx = (e - w) * frac;
  const dy = (n - s) * frac;
  return [Math.max(-180, w - dx), Math.max(-90, s - dy), Math.min(180, e + dx), Math.min(90, n + dy)];
}

export function inBbox(b: Bbox, lon: number, lat: number): boolean {
  return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
}

/** Indices of the assets inside the box; stops (returns null) once more than `limit` are found. */
export function assetsInBbox(store: AssetStore, b: Bbox, limit = Infinity): number[] | null {
  const out: number[] = [];
  const { lon, lat } = store;
  const [w, s, e, n] = b;
  for (let i = 0; i < store.size; i++) {
    const x = lon[i]!;
    const y = lat[i]!;
    if (x >= w && x <= e && y >= s && y <= n) {
      out.push(i);
      if (out.length > limit) return null;
    }
  }
  return out;
}

/** Whether a box contains another (the loaded detail area still covers the view). */
export function containsBbox(outer: Bbox, inner: Bbox): boolean {
  return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
}
