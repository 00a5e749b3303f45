import { MAX_TELEMETRY_BATCH, type DeviceKind } from '@sanitation/contracts';
import type { Rng } from '../shared/rng.js';

export const GARBAGE_KINDS = ['malformed_json', 'wrong_type', 'out_of_range', 'batch_too_large'] as const;
export type GarbageKind = (typeof GARBAGE_KINDS)[number];

/** A field that each kind reports, and a value out of its range. */
const RANGE_BREAKERS: Record<DeviceKind, [string, number]> = {
  bin: ['fillPct', 250],
  toilet: ['paperPct', -20],
  septic: ['levelPct', 180],
  streetlight: ['dimPct', 140],
  truck: ['lat', 123.4],
};
const TYPE_BREAKERS: Record<DeviceKind, [string, unknown]> = {
  bin: ['fillPct', 'full'],
  toilet: ['visits', 'many'],
  septic: ['levelPct', '42%'],
  streetlight: ['lampOn', 'yes'],
  truck: ['speedKmh', 'fast'],
};

/**
 * What broken firmware or a flaky modem actually sends. Every garbage reading takes a fresh seq
 * via `nextSeq`, so it can never shadow a good reading if the gateway were to accept it.
 */
export function garbagePayload(kind: DeviceKind, garbage: GarbageKind, ts: number, nextSeq: () => number, rng: Rng): string {
  switch (garbage) {
    case 'malformed_json':
      return rng.pick([`{"ts":${ts},"seq":${nextSeq()},"fillPct":`, 'not json at all', `{"ts":${ts} "seq":1}`, '\u0000\u0001\u0002']);
    case 'wrong_type': {
      const [field, value] = TYPE_BREAKERS[kind];
      return JSON.stringify({ ts, seq: nextSeq(), [field]: value });
    }
    case 'out_of_range': {
      const [field, value] = RANGE_BREAKERS[kind];
      return JSON.stringify({ ts, seq: nextSeq(), [field]: value });
    }
    case 'batch_too_large': {
      // One over the limit: the whole payload is refused.
      const batch = Array.from({ length: MAX_TELEMETRY_BATCH + 1 }, () => ({ ts, seq: nextSeq() }));
      return JSON.stringify(batch);
    }
  }
}
