import type { Basemap, MapSnapshot, MapSnapshotColumns } from '@sanitation/contracts';
import { ApiError, api, buildUrl } from '../api/http';
import { session } from '../auth/session';
import type { SnapshotArrays } from './snapshot-arrays';
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

/** When the last snapshot's steps happened (performance.now() of this page), for the map's debug hook. */
export const snapshotTimings: Record<string, number> = {};

/** The snapshot as typed arrays, parsed in a worker where there is one (not in jsdom). */
export async function fetchSnapshot(): Promise<SnapshotArrays> {
  if (typeof Worker === 'undefined') {
    // Loaded on demand: the entry module imports this file and must stay small.
    const { snapshotArraysOf } = await import('./snapshot-arrays');
    return snapshotArraysOf(await api.get<MapSnapshot | MapSnapshotColumns>('/map/snapshot', { format: 'columns' }));
  }
  snapshotTimings.workerCreated = performance.now();
  const worker = new Worker(new URL('./snapshot.worker.ts', import.meta.url), { type: 'module' });
  try {
    const reply = await new Promise<SnapshotReply>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<SnapshotReply>) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(e.message || 'snapshot worker failed'));
      worker.postMessage({ url: buildUrl('/map/snapshot', { format: 'columns' }), token: session.get()?.token ?? null } satisfies SnapshotRequest);
    });
    if (!reply.ok) throw new ApiError(reply.status, reply.message, null);
    // Worker clock → this page's performance.now() scale.
    for (const [k, t] of Object.entries(reply.timings)) snapshotTimings[k] = t - performance.timeOrigin;
    snapshotTimings.snapshotReceived = performance.now();
    return reply;
  } finally {
    worker.terminate();
  }
}

let early: { snapshot: Promise<SnapshotArrays>; basemap: Promise<Basemap | null>; at: number } | null = null;
/** A prefetch older than this (the map opened much later) is not used: the live stream has moved on. */
const PREFETCH_FRESH_MS = 20_000;

/**
 * Starts the base map and snapshot downloads at boot, when the ops map will open, so they overlap
 * the app's own start (config, translations, first render); the map takes them over once.
 */
export function prefetchMapData(): void {
  if (early) return;
  early = { snapshot: fetchSnapshot(), basemap: loadBasemap(), at: performance.now() };
  early.snapshot.catch(() => undefined);
  early.basemap.catch(() => undefined);
}

/** The prefetched downloads (once), or fresh ones. */
export function takeMapData(): { snapshot: Promise<SnapshotArrays>; basemap: Promise<Basemap | null> } {
  const fresh = early && performance.now() - early.at < PREFETCH_FRESH_MS ? early : null;
  const got = fresh ?? { snapshot: fetchSnapshot(), basemap: loadBasemap() };
  early = null;
  return got;
}
