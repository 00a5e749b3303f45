import type { VehicleTrail } from '@sanitation/contracts';
import { ASSET_STATES, STATE, STATE_COLOURS } from './asset-state';
import type { AssetStore } from './asset-store';
import type { LayerSpecification, MapInstance } from './map-adapter';

/** Source ids of the asset overlay (drawn over the base map, whichever library runs). */
// Cells, trucks and the selection ring are not map layers: the overlay canvases draw them (map-overlay.ts).
export const SRC = { assets: 'ops-assets', trail: 'ops-trail' } as const;
export const CLICKABLE = { assets: 'ops-assets', icons: 'ops-asset-icons' } as const;
/** From this zoom the icons are drawn over the coloured dots. */
export const ICON_ZOOM = 15.5;

const empty = () => ({ type: 'FeatureCollection' as const, features: [] as unknown[] });

const stateColour = ['match', ['get', 's'], ...ASSET_STATES.flatMap((s, i) => [i, STATE_COLOURS[s]]), '#7b8794'];

const layers: LayerSpecification[] = [
  {
    id: 'ops-trail-line',
    type: 'line',
    source: SRC.trail,
    filter: ['==', ['geometry-type'], 'LineString'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': '#3da5ff', 'line-width': 4, 'line-opacity': 0.85 },
  },
  {
    id: CLICKABLE.assets,
    type: 'circle',
    source: SRC.assets,
    paint: {
      'circle-color': stateColour,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 15, 5, ICON_ZOOM, 11, 19, 16],
      'circle-stroke-color': '#0e1620',
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 12, 0.5, 16, 2],
    },
  },
  {
    id: CLICKABLE.icons,
    type: 'symbol',
    source: SRC.assets,
    minzoom: ICON_ZOOM,
    layout: {
      'icon-image': ['concat', 'icon-', ['get', 'k']],
      'icon-size': ['interpolate', ['linear'], ['zoom'], ICON_ZOOM, 0.75, 19, 1.1],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
    paint: { 'icon-color': ['match', ['get', 's'], [STATE['lamp-on'], STATE['level-mid']], '#1b2430', '#ffffff'] },
  },
  {
    id: 'ops-trail-cursor',
    type: 'circle',
    source: SRC.trail,
    filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 9, 'circle-color': '#ffffff', 'circle-stroke-color': '#3da5ff', 'circle-stroke-width': 4 },
  },
] as LayerSpecification[];

export function addAssetLayers(map: MapInstance): void {
  for (const id of Object.values(SRC)) if (!map.getSource(id)) map.addSource(id, { type: 'geojson', data: empty() as never });
  for (const layer of layers) if (!map.getLayer(layer.id)) map.addLayer(layer);
}

/** Individual assets for the detail source: `s` state, `k` kind; the feature id is the store index. */
export function assetFeatures(store: AssetStore, indices: readonly number[]): unknown[] {
  const out = new Array(indices.length);
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j]!;
    out[j] = {
      type: 'Feature',
      id: i,
      geometry: { type: 'Point', coordinates: [store.lon[i], store.lat[i]] },
      properties: { id: store.ids[i], s: store.state[i], k: store.kindAt(i) },
    };
  }
  return out;
}

/** The trail up to `until` (all of it when null), and a cursor at the position at `until`. */
export function trailFeatures(trail: VehicleTrail, until: number | null): unknown[] {
  const fixes = trail.fixes.map((f) => ({ t: Date.parse(f.ts), lon: f.lon, lat: f.lat }));
  const shown = until === null ? fixes : fixes.filter((f) => f.t <= until);
  const out: unknown[] = [];
  const coords = shown.map((f) => [f.lon, f.lat]);
  if (until !== null) {
    const next = fixes.find((f) => f.t > until);
    const last = shown.at(-1);
    let at: number[] | null = last ? [last.lon, last.lat] : null;
    if (last && next) {
      const k = (until - last.t) / (next.t - last.t);
      at = [last.lon + (next.lon - last.lon) * k, last.lat + (next.lat - last.lat) * k];
      coords.push(at);
    }
    if (at) out.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: {} });
  }
  if (coords.length >= 2) out.unshift({ type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: {} });
  return out;
}
