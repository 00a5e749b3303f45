/// <reference lib="webworker" />
import type { SnapshotArrays } from './snapshot-arrays';

// The parser (with the contracts it classifies by) loads while the download runs, not before it.
const parser = import('./snapshot-arrays');

/**
 * Downloads and parses the asset snapshot (columns format) off the main thread and hands back
 * typed arrays, so the main thread stays free to start the map meanwhile.
 */
export interface SnapshotRequest {
  url: string;
  token: string | null;
}

/** `timings`: performance.timeOrigin-based ms of the worker's steps (for the map's debug hook). */
export type SnapshotReply = ({ ok: true; timings: Record<string, number> } & SnapshotArrays) | { ok: false; status: number; message: string };

const at = () => performance.timeOrigin + performance.now();

self.onmessage = async (e: MessageEvent<SnapshotRequest>) => {
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (e.data.token) headers.authorization = `Bearer ${e.data.token}`;
    const timings: Record<string, number> = { snapshotRequested: at() };
    const res = await fetch(e.data.url, { headers });
    timings.snapshotHeaders = at();
    if (!res.ok) {
      postMessage({ ok: false, status: res.status, message: `HTTP ${res.status}` } satisfies SnapshotReply);
      return;
    }
    const body = await res.json();
    timings.snapshotParsed = at();
    const { snapshotArraysOf } = await parser;
    const reply: SnapshotReply = { ok: true, timings, ...snapshotArraysOf(body) };
    timings.snapshotArrays = at();
    postMessage(reply, [reply.lon.buffer, reply.lat.buffer, reply.state.buffer, reply.kind.buffer]);
  } catch (err) {
    postMessage({ ok: false, status: 0, message: err instanceof Error ? err.message : String(err) } satisfies SnapshotReply);
  }
};
