import type { InfluxConfig } from '../config/gateway.config.js';
import type { SpoolPosition } from '../spool/spool-reader.js';

/** Closed segments as [segment, size] pairs (Maps survive postMessage, but pairs are explicit). */
export interface LayoutMessage {
  type: 'layout';
  committed: SpoolPosition;
  closed: [number, number][];
}

export type ToWriter = LayoutMessage | { type: 'stop'; drainMs: number };

export type FromWriter =
  | { type: 'confirmed'; next: SpoolPosition; readings: number; written: number; dropped: number }
  | { type: 'status'; lastError: string | null }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string; data?: Record<string, unknown> }
  | { type: 'stopped' };

export interface WriterData {
  spoolDir: string;
  influx: InfluxConfig;
  from: SpoolPosition;
  layout: LayoutMessage;
}
