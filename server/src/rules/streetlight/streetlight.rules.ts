import type { StreetlightTelemetry } from '@sanitation/contracts';
import type { CyclingDetector } from './cycling.rule.js';
import { classifyLampReading, type LampFaultOptions, type LampContext } from './lamp-fault.rule.js';
import type { ExpectedLampState, LightingSchedule } from './lighting-schedule.js';
import type { LampCondition } from './streetlight-conditions.js';

/**
 * One streetlight reading through every per-lamp rule: the schedule at the reading's own `ts`
 * (never the wall clock, so replays and simulated days judge the same), the fault classification,
 * and the cycling memory. Cabinet aggregation runs over all lamps afterwards (cabinet-aggregation.ts).
 */
export interface StreetlightReadingInput {
  deviceId: string;
  reading: Pick<StreetlightTelemetry, 'ts' | 'lampOn' | 'dimPct' | 'powerW' | 'voltageV' | 'currentA'>;
  lamp: LampContext;
}

export interface StreetlightReadingResult {
  expected: ExpectedLampState;
  /** Empty when the lamp is fine. At most one condition per cause code. */
  conditions: LampCondition[];
}

export function evaluateStreetlightReading(
  input: StreetlightReadingInput,
  schedule: LightingSchedule,
  cycling: CyclingDetector,
  options: Partial<LampFaultOptions> = {},
): StreetlightReadingResult {
  const { deviceId, reading, lamp } = input;
  const expected = schedule.expectedState(reading.ts);
  const conditions = classifyLampReading(expected, reading, lamp, options);
  if (reading.lampOn !== undefined) {
    const verdict = cycling.observe(deviceId, reading.ts, reading.lampOn);
    if (verdict.condition) conditions.push(verdict.condition);
  }
  return { expected, conditions };
}
