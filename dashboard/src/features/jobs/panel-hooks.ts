import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { serverNow } from './server-time';

/** The server's message for an API error (it names the field), else the error's text. */
export const errorText = (err: unknown): string => (err instanceof ApiError || err instanceof Error ? err.message : String(err));

/** Server time, refreshed every `intervalMs` so due times and the overdue accent follow the clock. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(serverNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
