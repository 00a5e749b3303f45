import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/http';
import { live, type LiveStatus } from '../live/live-connection';
import type { Store } from '../state/store';
import { clockSpeed, serverNow, syncServerClock } from './server-time';

/** The server's message for an API error (it names the field), else the error's text. */
export const errorText = (err: unknown): string => (err instanceof ApiError || err instanceof Error ? err.message : String(err));

/**
 * Server time, refreshed about every `intervalMs` of server time (at least once a second of wall
 * time) so due times and the overdue accent follow a simulated clock too.
 */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(serverNow());
  useEffect(() => {
    const wallMs = Math.max(1000, intervalMs / clockSpeed());
    const timer = setInterval(() => setNow(serverNow()), wallMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

interface LiveLike {
  status: Store<LiveStatus>;
  on(event: 'resynced', fn: () => void): () => void;
}

/**
 * Calls `fn` after the socket came back from a drop (events may have been missed). The live
 * connection also reports `resynced` each time the map changes its subscribed area; those need
 * no reload, so only a resync that follows a non-live status counts.
 */
export function onReconnect(fn: () => void, conn: LiveLike = live): () => void {
  let stale = conn.status.get() !== 'live';
  const offStatus = conn.status.subscribe((s) => {
    if (s !== 'live') stale = true;
  });
  const offResync = conn.on('resynced', () => {
    if (!stale) return;
    stale = false;
    fn();
  });
  return () => {
    offStatus();
    offResync();
  };
}

/**
 * Loads a panel's list on mount and again after the socket comes back from a drop (events may
 * have been missed), re-anchoring the server clock each time; an older load is aborted.
 */
export function useReloadingLoad(load: (signal: AbortSignal) => Promise<unknown>): {
  loading: boolean;
  error: string | null;
  setError: (error: string | null) => void;
} {
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let ctl = new AbortController();
    const reload = () => {
      ctl.abort();
      ctl = new AbortController();
      const signal = ctl.signal;
      setLoading(true);
      void syncServerClock();
      load(signal)
        .then(() => setError(null))
        .catch((err: unknown) => {
          if (!signal.aborted) setError(errorText(err));
        })
        .finally(() => {
          if (!signal.aborted) setLoading(false);
        });
    };
    reload();
    const off = onReconnect(reload);
    return () => {
      off();
      ctl.abort();
    };
    // The loader is fixed for the panel's lifetime.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return { loading, error, setError };
}
