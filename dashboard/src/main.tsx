import { route } from './app/router';
import { loadUiConfig } from './app/ui-config';
import { session } from './auth/session';
import { preloadMapLibrary } from './map/map-adapter';
import { prefetchMapData } from './map/map-data';

// A small entry: the ops map's data (the 100,000-asset snapshot, the base map) and, as soon as the
// config names it, the map library start downloading before the app's own (larger) code is even
// parsed, then the app loads.

/** A signed-in operator (not crew) landing on the ops screen (its default). */
function willOpenMap(): boolean {
  const s = session.get();
  const r = route.get();
  return s !== null && s.role !== 'crew' && (r === null || r === '/ops' || r === '/login');
}

const opensMap = willOpenMap();
if (opensMap) prefetchMapData();
const config = loadUiConfig();
if (opensMap) config.then((c) => preloadMapLibrary(c.mapboxToken)).catch(() => undefined);
void import('./app/boot').then((m) => m.boot(config));
