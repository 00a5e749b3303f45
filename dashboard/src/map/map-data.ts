import type { Basemap, MapSnapshot } from '@sanitation/contracts';
import { ApiError, api, buildUrl } from '../api/http';
import { session } from '../auth/session';
import { snapshotArrays, type SnapshotArrays } from './snapshot-arrays';
import type { SnapshotReply, SnapshotRequest } from './snapshot.worker';
import type { Bbox } from './viewport';

/** What the map loads over HTTP: the base map (null when none was uploaded) and the asset snapshot. */
export async function loadBasemap(): Promise<Basemap | null> {
  try {
    return await api.get<Basemap>('/map/basemap');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null; // none uploaded: plain background
    throw err;
  }
}

export function boundsOf(a: SnapshotArrays): Bbox | null {
  if (a.ids.length === 0) return null;
  const b: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < a.ids.length; i++) {
    b[0] = Math.min(b[0], a.lon[i]!);
    b[1] = Math.min(b[1], a.lat[i]!);
    b[2] = Math.max(b[2], a.lon[i]!);
    b[3] = Math.max(b[3], a.lat[i]!);
  }
  return b;
}

/** The snapshot as typed arrays, parsed in a worker where there is one (not in jsdom). */
export async function fetchSnapshot(): Promise<SnapshotArrays> {
  if (typeof Worker === 'undefined') return snapshotArrays(await api.get<MapSnapshot>('/map/snapshot'));
  const worker = new Worker(new URL('./snapshot.worker.ts', import.meta.url), { type: 'module' });
  try {
    const reply = await new Promise<SnapshotReply>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<SnapshotReply>) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(e.message || 'snapshot worker failed'));
      worker.postMessage({ url: buildUrl('/map/snapshot'), token: session.get()?.token ?? null } satisfies SnapshotRequest);
    });
    if (!reply.ok) throw new ApiError(reply.status, reply.message, null);
    return reply;
  } finally {
    worker.terminate();
  }
}
