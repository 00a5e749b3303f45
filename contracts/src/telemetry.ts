import { z } from 'zod';
import type { DeviceKind } from './topics.js';

/** Largest telemetry batch a device may flush at once (store-and-forward). */
export const MAX_TELEMETRY_BATCH = 500;

const pct = z.number().min(0).max(100);
const finite = z.number().finite();
const nonNegative = z.number().min(0);

/**
 * Latest accepted `ts`: InfluxDB stores int64 nanoseconds and a reading's point time is
 * ts (ms) × 10⁶ + seq mod 10⁶, which must stay below 2⁶³ (i.e. before 2262-04-11).
 */
export const MAX_TS_MS = 9_223_372_036_853;

/** Common to every reading: when it was measured and its per-device sequence number. */
const readingBase = {
  ts: z.number().int().min(0).max(MAX_TS_MS),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
};

// z.object strips unknown keys, which is exactly "unknown fields are ignored".
export const binTelemetrySchema = z.object({
  ...readingBase,
  fillPct: pct.optional(),
  tempC: finite.optional(),
  tilted: z.boolean().optional(),
  batteryPct: pct.optional(),
});

export const toiletTelemetrySchema = z.object({
  ...readingBase,
  occupiedStalls: z.number().int().min(0).optional(),
  stalls: z.number().int().min(0).optional(),
  visits: z.number().int().min(0).optional(),
  nh3Ppm: nonNegative.optional(),
  h2sPpm: nonNegative.optional(),
  paperPct: pct.optional(),
  soapPct: pct.optional(),
  waterLeak: z.boolean().optional(),
});

export const septicTelemetrySchema = z.object({
  ...readingBase,
  levelPct: pct.optional(),
  h2sPpm: nonNegative.optional(),
  ch4PctLel: pct.optional(),
});

export const streetlightTelemetrySchema = z.object({
  ...readingBase,
  lampOn: z.boolean().optional(),
  dimPct: pct.optional(),
  powerW: nonNegative.optional(),
  voltageV: nonNegative.optional(),
  currentA: nonNegative.optional(),
  energyWh: nonNegative.optional(),
});

export const truckTelemetrySchema = z.object({
  ...readingBase,
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  speedKmh: nonNegative.optional(),
  headingDeg: z.number().min(0).max(360).optional(),
  ignition: z.boolean().optional(),
  loadKg: nonNegative.optional(),
});

export const telemetrySchemas = {
  bin: binTelemetrySchema,
  toilet: toiletTelemetrySchema,
  septic: septicTelemetrySchema,
  streetlight: streetlightTelemetrySchema,
  truck: truckTelemetrySchema,
} as const satisfies Record<DeviceKind, z.ZodType>;

export type BinTelemetry = z.infer<typeof binTelemetrySchema>;
export type ToiletTelemetry = z.infer<typeof toiletTelemetrySchema>;
export type SepticTelemetry = z.infer<typeof septicTelemetrySchema>;
export type StreetlightTelemetry = z.infer<typeof streetlightTelemetrySchema>;
export type TruckTelemetry = z.infer<typeof truckTelemetrySchema>;
export interface TelemetryByKind {
  bin: BinTelemetry;
  toilet: ToiletTelemetry;
  septic: SepticTelemetry;
  streetlight: StreetlightTelemetry;
  truck: TruckTelemetry;
}
export type Telemetry = TelemetryByKind[DeviceKind];

/** Measured values of a reading: everything but `ts` and `seq`. Booleans stay booleans. */
export type ReadingValues = Record<string, number | boolean>;

/** Field names per kind, in wire order (excluding ts/seq). Drives storage and charts. */
export const TELEMETRY_FIELDS: Record<DeviceKind, readonly string[]> = {
  bin: ['fillPct', 'tempC', 'tilted', 'batteryPct'],
  toilet: ['occupiedStalls', 'stalls', 'visits', 'nh3Ppm', 'h2sPpm', 'paperPct', 'soapPct', 'waterLeak'],
  septic: ['levelPct', 'h2sPpm', 'ch4PctLel'],
  streetlight: ['lampOn', 'dimPct', 'powerW', 'voltageV', 'currentA', 'energyWh'],
  truck: ['lat', 'lon', 'speedKmh', 'headingDeg', 'ignition', 'loadKg'],
};

export const REJECT_REASONS = [
  'malformed_json',
  'batch_too_large',
  'empty_batch',
  'not_an_object',
  'missing_field',
  'wrong_type',
  'out_of_range',
  'duplicate',
  'rate_limited',
  'unknown_device',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  /** Index in the batch, or -1 when the whole payload is unusable. */
  index: number;
  reason: RejectReason;
  /** Human-readable detail naming the field, e.g. `fillPct: must be <= 100`. */
  detail: string;
}

export interface ParsedTelemetry<K extends DeviceKind = DeviceKind> {
  readings: TelemetryByKind[K][];
  rejections: Rejection[];
}

function reasonFor(issue: z.core.$ZodIssue, input: unknown): RejectReason {
  if (issue.code === 'too_big' || issue.code === 'too_small') return 'out_of_range';
  if (issue.code === 'invalid_type') {
    let value: unknown = input;
    for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
    return value === undefined ? 'missing_field' : 'wrong_type';
  }
  return 'wrong_type';
}

/** Validates one decoded reading; never throws. */
export function parseReading<K extends DeviceKind>(
  kind: K,
  input: unknown,
): { ok: true; reading: TelemetryByKind[K] } | { ok: false; reason: RejectReason; detail: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: 'not_an_object', detail: 'reading must be a JSON object' };
  }
  const result = telemetrySchemas[kind].safeParse(input);
  if (result.success) return { ok: true, reading: result.data as TelemetryByKind[K] };
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || '(root)';
  return { ok: false, reason: reasonFor(issue, input), detail: `${field}: ${issue.message}` };
}

/**
 * Parses a raw telemetry payload: one object or an array of up to 500.
 * Invalid readings are reported individually and never hold back the valid ones.
 */
export function parseTelemetryPayload<K extends DeviceKind>(kind: K, payload: Uint8Array | string): ParsedTelemetry<K> {
  let decoded: unknown;
  try {
    const text = typeof payload === 'string' ? payload : new TextDecoder('utf-8', { fatal: true }).decode(payload);
    decoded = JSON.parse(text);
  } catch (err) {
    return { readings: [], rejections: [{ index: -1, reason: 'malformed_json', detail: (err as Error).message }] };
  }
  const items = Array.isArray(decoded) ? decoded : [decoded];
  if (Array.isArray(decoded) && decoded.length === 0) {
    return { readings: [], rejections: [{ index: -1, reason: 'empty_batch', detail: 'batch holds no readings' }] };
  }
  if (items.length > MAX_TELEMETRY_BATCH) {
    return {
      readings: [],
      rejections: [
        { index: -1, reason: 'batch_too_large', detail: `batch of ${items.length} exceeds ${MAX_TELEMETRY_BATCH} readings` },
      ],
    };
  }
  const readings: TelemetryByKind[K][] = [];
  const rejections: Rejection[] = [];
  items.forEach((item, index) => {
    const parsed = parseReading(kind, item);
    if (parsed.ok) readings.push(parsed.reading);
    else rejections.push({ index, reason: parsed.reason, detail: parsed.detail });
  });
  return { readings, rejections };
}

/** Splits a validated reading into its values (ts/seq removed). */
export function readingValues(reading: Telemetry): ReadingValues {
  const values: ReadingValues = {};
  for (const [key, value] of Object.entries(reading)) {
    if (key === 'ts' || key === 'seq') continue;
    if (typeof value === 'number' || typeof value === 'boolean') values[key] = value;
  }
  return values;
}
