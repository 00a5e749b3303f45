import { z } from 'zod';
import type { DeviceKind } from '../topics.js';

/**
 * GET /api/devices/:id/history — a device's stored readings aggregated per time window
 * (InfluxQL `GROUP BY time(window)` over the measurement of the device's kind).
 */

export const HISTORY_AGGREGATES = ['mean', 'max', 'min', 'last'] as const;
export type HistoryAggregate = (typeof HISTORY_AGGREGATES)[number];

/** Most windows one answer may hold; a smaller window over a longer range is refused (400 `window`). */
export const HISTORY_MAX_POINTS = 10_000;
/** Range when `from` is absent: this long before `to`, ms. */
export const HISTORY_DEFAULT_RANGE_MS = 24 * 3_600_000;
export const HISTORY_DEFAULT_WINDOW = '5m';

const WINDOW_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const WINDOW_PATTERN = /^([1-9]\d{0,5})(s|m|h|d|w)$/;

/** `30s`, `5m`, `1h`, `1d`, `1w` → ms; null when not such a duration. */
export function historyWindowMs(window: string): number | null {
  const m = WINDOW_PATTERN.exec(window);
  return m ? Number(m[1]) * WINDOW_UNITS_MS[m[2] as keyof typeof WINDOW_UNITS_MS] : null;
}

const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-27T08:00:00Z' });

export const deviceHistoryQuerySchema = z.object({
  /** Start (inclusive); default `to` − 24 h. */
  from: isoTime.optional(),
  /** End (exclusive); default now. */
  to: isoTime.optional(),
  window: z
    .string()
    .regex(WINDOW_PATTERN, 'must be a duration like 30s, 5m, 1h, 1d or 1w')
    .default(HISTORY_DEFAULT_WINDOW),
  /** Comma-separated field names of the device's kind (TELEMETRY_FIELDS); default all of them. */
  fields: z
    .string()
    .transform((s) => [...new Set(s.split(',').map((f) => f.trim()).filter(Boolean))])
    .pipe(z.array(z.string()).min(1, 'name at least one field'))
    .optional(),
  /** Aggregate per window; boolean fields take `max` (true if ever true in the window) in place of `mean`. */
  agg: z.enum(HISTORY_AGGREGATES).default('mean'),
});
export type DeviceHistoryQuery = z.output<typeof deviceHistoryQuerySchema>;

export interface DeviceHistoryPoint {
  /** Start of the window (ISO 8601). */
  time: string;
  /** Per field; null when the field had no value in that window. */
  values: Record<string, number | boolean | null>;
}

export interface DeviceHistoryResponse {
  deviceId: string;
  kind: DeviceKind;
  from: string;
  to: string;
  window: string;
  /** Aggregate actually applied per field. */
  aggregates: Record<string, HistoryAggregate>;
  fields: string[];
  /** Windows that hold at least one reading, oldest first. */
  points: DeviceHistoryPoint[];
}
