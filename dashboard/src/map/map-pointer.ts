import { selection, select, type Selection } from '../state/selection';
import { CLICKABLE } from './asset-layers';
import type { AssetStore } from './asset-store';
import type { MapInstance } from './map-adapter';
import type { MapOverlay } from './map-overlay';

/** Zoom a selection made elsewhere (a job, an alarm) flies to. */
export const FLY_ZOOM = 17;

/** What the pointer handling reads from the running map controller. */
export interface PointerContext {
  overlay(): MapOverlay | null;
  store(): AssetStore;
  mode(): 'cells' | 'detail';
}

/**
 * The map's pointer and selection: hover cursor over assets, trucks and cells; a click selects
 * an asset or truck (or zooms into a cell); a selection made elsewhere flies there. Returns the
 * unsubscribe for the selection store.
 */
export function wirePointer(map: MapInstance, ctx: PointerContext): () => void {
  let clickedId: string | null = null;

  for (const layer of [CLICKABLE.assets, CLICKABLE.icons]) {
    map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
  }
  // Overlay items (trucks, cells) are not map layers: hover is tested on the overlay.
  let overOverlay = false;
  map.on('mousemove', (e) => {
    const o = ctx.overlay();
    const over = !!o && !!(o.hitTruck(e.point.x, e.point.y) ?? (ctx.mode() === 'cells' ? o.hitCell(e.point.x, e.point.y) : null));
    if (over) map.getCanvas().style.cursor = 'pointer';
    else if (overOverlay) map.getCanvas().style.cursor = '';
    overOverlay = over;
  });

  map.on('click', (e) => {
    const point = e.point;
    const truck = ctx.overlay()?.hitTruck(point.x, point.y);
    if (truck) {
      clickedId = truck.id;
      select({ id: truck.id, kind: 'truck', lat: truck.lat, lon: truck.lon });
      return;
    }
    const box: [[number, number], [number, number]] = [
      [point.x - 6, point.y - 6],
      [point.x + 6, point.y + 6],
    ];
    const layers = [CLICKABLE.icons, CLICKABLE.assets].filter((l) => map.getLayer(l));
    const hit = map.queryRenderedFeatures(box, { layers })[0];
    if (!hit) {
      const cell = ctx.mode() === 'cells' ? (ctx.overlay()?.hitCell(point.x, point.y) ?? null) : null;
      if (cell) map.easeTo({ center: cell.geometry.coordinates, zoom: Math.min(FLY_ZOOM, map.getZoom() + 2.5) });
      return;
    }
    const [lon, lat] = (hit.geometry as unknown as { coordinates: [number, number] }).coordinates;
    const id = String(hit.properties['id']);
    const i = ctx.store().indexOf(id);
    clickedId = id;
    select({ id, kind: i !== undefined ? ctx.store().kindAt(i) : null, lat, lon });
  });

  const onSelection = (s: Selection | null): void => {
    const store = ctx.store();
    let lon = s?.lon;
    let lat = s?.lat;
    const i = s ? store.indexOf(s.id) : undefined;
    if (s && i !== undefined && (lon === undefined || lat === undefined)) {
      lon = store.lon[i]!;
      lat = store.lat[i]!;
    }
    ctx.overlay()?.setSelected(s && lon !== undefined && lat !== undefined ? [lon, lat] : null);
    // A click on the map does not move the camera; a selection from a list does.
    if (s && lon !== undefined && lat !== undefined && s.id !== clickedId) map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), FLY_ZOOM) });
    clickedId = null;
  };
  const off = selection.subscribe(onSelection);
  onSelection(selection.get());
  return off;
}
