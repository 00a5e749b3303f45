import type { RoutePlan } from '@sanitation/contracts';
import { routeColour, stopNumbers } from '../features/routes/route-plan.logic';

/**
 * What the route layer draws for a plan, as plain data (tested without a canvas): one line per
 * route along its street path, and a marker per stop — numbered circles for bins, a square for
 * the depot, a diamond for the unload site. The selected route is drawn last (on top) and wider.
 */
export const SITE_COLOUR = '#e6edf3';

export type MarkerShape = 'circle' | 'square' | 'diamond';

export interface RouteLine {
  vehicleId: string;
  colour: string;
  width: number;
  coords: [number, number][];
}

export interface RouteMarker {
  stopId: string;
  vehicleId: string;
  lon: number;
  lat: number;
  shape: MarkerShape;
  colour: string;
  /** the stop's number on its route (collect stops), else a letter: D depot, U unload */
  label: string;
  /** done or skipped: drawn faded */
  faded: boolean;
}

export interface RouteScene {
  lines: RouteLine[];
  markers: RouteMarker[];
}

export function routeScene(plan: RoutePlan | null, selectedVehicle: string | null): RouteScene {
  const scene: RouteScene = { lines: [], markers: [] };
  if (!plan) return scene;
  const routes = [...plan.routes].sort((a, b) => Number(a.vehicleId === selectedVehicle) - Number(b.vehicleId === selectedVehicle));
  const depots = new Set<string>();
  for (const route of routes) {
    const colour = routeColour(plan, route.vehicleId);
    const selected = route.vehicleId === selectedVehicle;
    // Without a street path (straight-line travel) the line joins the stops in order.
    const coords = route.path.length >= 2 ? route.path : route.stops.map((s): [number, number] => [s.lon, s.lat]);
    if (coords.length >= 2) scene.lines.push({ vehicleId: route.vehicleId, colour, width: selected ? 6 : 3.5, coords });
    const numbers = stopNumbers(route);
    for (const s of route.stops) {
      const faded = s.progress === 'done' || s.progress === 'skipped';
      if (s.kind === 'collect') {
        scene.markers.push({ stopId: s.stopId, vehicleId: route.vehicleId, lon: s.lon, lat: s.lat, shape: 'circle', colour, label: String(numbers.get(s.stopId) ?? ''), faded });
        continue;
      }
      // A depot shared by several trucks (start and end) is drawn once.
      const key = `${s.kind === 'unload' ? 'U' : 'D'}|${s.lon.toFixed(6)}|${s.lat.toFixed(6)}`;
      if (depots.has(key)) continue;
      depots.add(key);
      scene.markers.push({
        stopId: s.stopId,
        vehicleId: route.vehicleId,
        lon: s.lon,
        lat: s.lat,
        shape: s.kind === 'unload' ? 'diamond' : 'square',
        // shared by the trucks: not in one route's colour
        colour: SITE_COLOUR,
        label: s.kind === 'unload' ? 'U' : 'D',
        faded: false,
      });
    }
  }
  // Depots and unload sites under the numbered bins would hide numbers: draw them first.
  scene.markers.sort((a, b) => Number(a.shape === 'circle') - Number(b.shape === 'circle'));
  return scene;
}

/** [west, south, east, north] around every stop and path point of the plan; null when empty. */
export function planBounds(plan: RoutePlan | null): [number, number, number, number] | null {
  if (!plan) return null;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const add = (lon: number, lat: number) => {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  };
  for (const r of plan.routes) {
    for (const st of r.stops) add(st.lon, st.lat);
    for (const [lon, lat] of r.path) add(lon, lat);
  }
  for (const l of plan.leftOut) add(l.lon, l.lat);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
