import { z } from 'zod';
import type { DeviceKind } from '@sanitation/contracts';
import { SimError, SimErrorCode } from '../shared/sim.exception.js';

export const FAULT_TYPES = [
  'lamp-failure',
  'day-burning',
  'cabinet-outage',
  'bin-fire',
  'bin-tilt',
  'gas-spike',
  'sensor-offline',
  'garbage',
  'fast-fill',
  'skip-disposal',
  'off-route',
  'breakdown',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** Which device kinds a fault can hit (`cabinet-outage` counts cabinets, not lamps). */
export const FAULT_TARGET_KINDS: Record<FaultType, readonly DeviceKind[]> = {
  'lamp-failure': ['streetlight'],
  'day-burning': ['streetlight'],
  'cabinet-outage': ['streetlight'],
  'bin-fire': ['bin'],
  'bin-tilt': ['bin'],
  'gas-spike': ['toilet', 'septic'],
  'sensor-offline': ['bin', 'toilet', 'septic', 'streetlight', 'truck'],
  garbage: ['bin', 'toilet', 'septic', 'streetlight', 'truck'],
  'fast-fill': ['bin', 'septic'],
  'skip-disposal': ['truck'], // tankers only
  'off-route': ['truck'],
  breakdown: ['truck'],
};

/** Default extra fill of `fast-fill`, percent per sim hour: 20 → 100 % in under three hours. */
export const FAST_FILL_DEFAULT_PCT_H = 30;

export const faultSpecSchema = z.object({
  type: z.enum(FAULT_TYPES),
  /** How many devices (cabinets for cabinet-outage) to hit, chosen deterministically from the seed. */
  count: z.number().int().min(1).max(100_000).optional(),
  /** Or exactly these devices (cabinet ids for cabinet-outage). */
  targets: z.array(z.string().min(1)).optional(),
  /** Sim ms the fault lasts; default: until cleared (sensor-offline default: 2 h). */
  durationMs: z.number().int().positive().optional(),
  /** `fast-fill` only: extra fill, percent per sim hour (default FAST_FILL_DEFAULT_PCT_H). */
  ratePctH: z.number().positive().max(10_000).optional(),
});
export type FaultSpec = z.infer<typeof faultSpecSchema>;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `90s`, `15m`, `6h`, `1d`, `1.5h`; plain numbers are seconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? 's']!);
}

/** Parses `lamp-failure:5,bin-fire:1,sensor-offline:3@2h` (count, optional @duration). */
export function parseFaultList(text: string): FaultSpec[] {
  if (!text.trim()) return [];
  return text.split(',').map((part) => {
    const m = /^([a-z-]+)(?::(\d+))?(?:@([\d.]+(?:ms|s|m|h|d)?))?$/.exec(part.trim());
    if (!m || !(FAULT_TYPES as readonly string[]).includes(m[1]!)) {
      throw new SimError(SimErrorCode.InvalidFault, `"${part}" is not a fault; use type[:count][@duration] with type one of ${FAULT_TYPES.join(', ')}`);
    }
    const durationMs = m[3] ? parseDuration(m[3]) : undefined;
    if (durationMs === null) throw new SimError(SimErrorCode.InvalidFault, `"${part}": bad duration "${m[3]}"`);
    return { type: m[1] as FaultType, count: m[2] ? Number(m[2]) : 1, ...(durationMs ? { durationMs } : {}) };
  });
}
