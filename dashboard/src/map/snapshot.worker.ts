/// <reference lib="webworker" />
import { snapshotArrays, type SnapshotArrays } from './snapshot-arrays';

/**
 * Downloads and parses the asset snapshot off the main thread (100,000 assets are ~18 MB of
 * JSON, about a second of parsing in a busy browser) and hands back typed arrays, so the main
 * thread stays free to start the map meanwhile.
 */
export interface SnapshotRequest {
  url: string;
  token: string | null;
}

export type SnapshotReply = ({ ok: true } & SnapshotArrays) | { ok: false; status: number; message: string };

self.onmessage = async (e: MessageEvent<SnapshotRequest>) => {
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (e.data.token) headers.authorization = `Bearer ${e.data.token}`;
    const res = await fetch(e.data.url, { headers });
    if (!res.ok) {
      postMessage({ ok: false, status: res.status, message: `HTTP ${res.status}` } satisfies SnapshotReply);
      return;
    }
    const reply: SnapshotReply = { ok: true, ...snapshotArrays(await res.json()) };
    postMessage(reply, [reply.lon.buffer, reply.lat.buffer, reply.state.buffer, reply.kind.buffer]);
  } catch (err) {
    postMessage({ ok: false, status: 0, message: err instanceof Error ? err.message : String(err) } satisfies SnapshotReply);
  }
};
