import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { clockSpeed, serverNow } from './server-time';

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
