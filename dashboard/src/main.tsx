import { route } from './app/router';
import { session } from './auth/session';
import { prefetchMapData } from './map/map-data';

// A small entry: the ops map's data (the 100,000-asset snapshot, the base map) starts downloading
// before the app's own (larger) code is even parsed, then the app loads.

/** A signed-in operator (not crew) landing on the ops screen (its default). */
function willOpenMap(): boolean {
  const s = session.get();
  const r = route.get();
  return s !== null && s.role !== 'crew' && (r === null || r === '/ops' || r === '/login');
}

const opensMap = willOpenMap();
if (opensMap) prefetchMapData();
void import('./app/boot').then((m) => m.boot(opensMap));
