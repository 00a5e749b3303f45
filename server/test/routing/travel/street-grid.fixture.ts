import type { Basemap, BasemapFeature } from '@sanitation/contracts';

/**
 * A synthetic street grid (7 columns × 4 rows, ~222 m blocks) near 30.25 N: row 1 is a main street
 * (40 km/h), every other street local (20 km/h). Plus a short island street ~3 km east, not connected.
 */
export const LAT0 = 30.25;
export const LON0 = 120.16;
export const DLAT = 0.002; // ≈ 222.4 m
export const DLON = 0.002 / Math.cos((LAT0 * Math.PI) / 180); // ≈ 222.4 m at this latitude
export const BLOCK_M = 222.39;

export const at = (col: number, row: number): { lon: number; lat: number } => ({ lon: LON0 + col * DLON, lat: LAT0 + row * DLAT });
const c = (col: number, row: number): [number, number] => [at(col, row).lon, at(col, row).lat];

export function streetGrid(): Basemap {
  const features: BasemapFeature[] = [];
  const street = (id: string, cls: string, coordinates: [number, number][]): void => {
    features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates }, properties: { layer: 'street', id, class: cls } });
  };
  for (let row = 0; row < 4; row++) {
    street(`row-${row}`, row === 1 ? 'main' : 'local', Array.from({ length: 7 }, (_, col) => c(col, row)));
  }
  for (let col = 0; col < 7; col++) {
    street(`col-${col}`, 'local', Array.from({ length: 4 }, (_, row) => c(col, row)));
  }
  street('island', 'local', [c(20, 0), c(21, 0)]);
  features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: c(0, 0) }, properties: { layer: 'depot', id: 'depot-1' } });
  return { type: 'FeatureCollection', properties: { name: 'grid', center: c(3, 1), bbox: [LON0, LAT0, LON0 + 21 * DLON, LAT0 + 3 * DLAT] }, features };
}
