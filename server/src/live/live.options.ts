/**
 * Live-stream tuning. Not environment settings yet: every value has a safe default here (units in
 * the comments); SERVER_CONFIG could override them later without touching the stream.
 */
export const LIVE_DEFAULTS = {
  /** Device states are sent to a client at most this often, as one array (latest per device), ms. */
  deviceBatchMs: 250,
  /** Server cap on truck positions per truck per client, per second (a client may ask for less). */
  maxTruckRatePerS: 2,
  /** How often pending device/truck batches are looked at, ms (bounds the truck pacing error). */
  flushTickMs: 50,
  /**
   * A client whose transport still holds more than this many unsent packets gets no new
   * device/truck batch this tick (its pending maps keep only the latest per device, so memory stays
   * bounded); alarms and jobs are always sent.
   */
  maxWriteBufferPackets: 200,
  /** Grid cell of the area index, degrees. */
  cellDeg: 0.05,
} as const;

export type LiveOptions = { -readonly [K in keyof typeof LIVE_DEFAULTS]: number };
