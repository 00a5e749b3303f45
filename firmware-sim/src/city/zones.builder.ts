import type { Rng } from '../shared/rng.js';
import { offsetM, round6, type LatLon } from '../shared/geo.js';
import type { Zone, ZoneType } from './city.types.js';

/** Grid zones (网格): one per arterial block, ~800 m square. */
export interface ZoneGrid {
  zones: Zone[];
  size: number;
  /** Zone containing a local point (x, y metres from the centre); clamps to the border zones. */
  zoneAt(x: number, y: number): Zone;
}

function zoneType(distFrac: number, rng: Rng): ZoneType {
  const r = rng.next();
  if (distFrac < 0.25) return r < 0.6 ? 'commercial' : r < 0.85 ? 'mixed' : 'residential';
  if (distFrac < 0.6) return r < 0.15 ? 'commercial' : r < 0.4 ? 'mixed' : r < 0.9 ? 'residential' : 'park';
  return r < 0.3 ? 'industrial' : r < 0.8 ? 'residential' : r < 0.9 ? 'mixed' : 'park';
}

export function buildZones(center: LatLon, sizeM: number, blocks: number, rng: Rng): ZoneGrid {
  const n = Math.max(1, blocks);
  const cell = sizeM / n;
  const half = sizeM / 2;
  const zones: Zone[] = [];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const x0 = -half + col * cell;
      const y0 = -half + row * cell;
      const cx = x0 + cell / 2;
      const cy = y0 + cell / 2;
      const type = zoneType(Math.hypot(cx, cy) / half, rng);
      const label = `${String.fromCharCode(65 + (row % 26))}${String(col + 1).padStart(2, '0')}`;
      const corners: [number, number][] = [
        [x0, y0],
        [x0 + cell, y0],
        [x0 + cell, y0 + cell],
        [x0, y0 + cell],
        [x0, y0],
      ];
      zones.push({
        id: `zone-${label.toLowerCase()}`,
        name: `网格 ${label} (${type})`,
        type,
        row,
        col,
        ring: corners.map(([x, y]) => {
          const ll = offsetM(center, x, y);
          return [round6(ll.lon), round6(ll.lat)];
        }),
      });
    }
  }
  return {
    zones,
    size: n,
    zoneAt(x, y) {
      const col = Math.min(n - 1, Math.max(0, Math.floor((x + half) / cell)));
      const row = Math.min(n - 1, Math.max(0, Math.floor((y + half) / cell)));
      return zones[row * n + col]!;
    },
  };
}
