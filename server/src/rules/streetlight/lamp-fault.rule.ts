import type { StreetlightTelemetry } from '@sanitation/contracts';
import type { ExpectedLampState } from './lighting-schedule.js';
import { fmt, type LampCondition } from './streetlight-conditions.js';

/**
 * Classifies one streetlight reading against what the astronomical clock expects. Pure: the caller
 * supplies the expected state (for the reading's `ts`) and the lamp's rating from the registry.
 * An empty list means the lamp is fine.
 */

export const LAMP_FAULT_DEFAULTS = {
  /** Mains nominal voltage, V (China: 220 V). */
  nominalVoltageV: 220,
  /** Accepted deviation from nominal, % (±10 % → 198–242 V, GB/T 12325). */
  voltageBandPct: 10,
  /** Below this the lamp has no supply at all, V (feeder off, fuse blown) rather than a sag. */
  noSupplyBelowV: 50,
  /** A lamp drawing no more than this is not burning, W (controllers idle at 1–3 W). */
  noPowerBelowW: 3,
  /** ...or no more than this share of its expected draw, whichever is larger, fraction. */
  noPowerBelowFraction: 0.1,
  /** Accepted deviation of power from rated × dim, % (drivers, ageing, ±1.5 % meter noise). */
  powerTolerancePct: 30,
  /** ...but never less than this, W, so small or deeply dimmed lamps are not flagged by overhead. */
  powerToleranceW: 8,
  /** Power factor used to estimate power from V × A when `powerW` is missing. */
  powerFactor: 0.95,
  /** A reported dim level this far from every scheduled level is a dimming fault, percentage points. */
  dimTolerancePct: 10,
} as const;

export type LampFaultOptions = { -readonly [K in keyof typeof LAMP_FAULT_DEFAULTS]: number };

export type StreetlightReading = Pick<StreetlightTelemetry, 'lampOn' | 'dimPct' | 'powerW' | 'voltageV' | 'currentA'>;

export interface LampContext {
  /** From the device's attributes; without it only the no-power and voltage checks run. */
  ratedPowerW?: number | undefined;
  /**
   * An operator command currently holds the lamp (the simulator keeps one until the next scheduled
   * switch): the schedule checks (off when due, day-burning, dimming) are skipped, the electrical ones run.
   */
  manualOverride?: boolean | undefined;
}

export function classifyLampReading(
  expected: ExpectedLampState,
  reading: StreetlightReading,
  lamp: LampContext,
  options: Partial<LampFaultOptions> = {},
): LampCondition[] {
  const o: LampFaultOptions = { ...LAMP_FAULT_DEFAULTS, ...options };
  const rated = lamp.ratedPowerW !== undefined && lamp.ratedPowerW > 0 ? lamp.ratedPowerW : undefined;
  const conditions: LampCondition[] = [];
  const when = expected.detail;

  const { voltageV } = reading;
  const supplied = voltageV === undefined || voltageV >= o.noSupplyBelowV;
  const powerW =
    reading.powerW ??
    (reading.currentA !== undefined && voltageV !== undefined ? reading.currentA * voltageV * o.powerFactor : undefined);
  const dimPct = reading.dimPct ?? likelyDimPct(expected, powerW, rated);
  const expectedW = rated !== undefined ? (rated * dimPct) / 100 : undefined;
  const noPowerW = Math.max(o.noPowerBelowW, expectedW !== undefined ? expectedW * o.noPowerBelowFraction : 0);
  const drawing = powerW === undefined ? undefined : powerW > noPowerW;
  // Real draw wins over a relay flag saying off (welded contactor); otherwise trust the controller's
  // relay state, and fall back to the meter when the firmware omits it.
  const lit = drawing === true ? true : (reading.lampOn ?? drawing);
  const scheduled = lamp.manualOverride !== true;
  const dueLit = scheduled && expected.shouldBeLit && !expected.inGrace;
  const dueDark = scheduled && !expected.shouldBeLit && !expected.inGrace;

  if (dueLit && !supplied) {
    // Dead feeder: the lamp cannot be on, so "off" and "no power" are the same fault, reported once.
    conditions.push({ cause: 'lamp-failure', code: 'no-supply', detail: `no mains at the lamp (${fmt(voltageV ?? 0)} V) but it should be lit: ${when}` });
  } else if (dueLit && lit === false) {
    conditions.push({ cause: 'lamp-failure', code: 'off-when-due', detail: `lamp reports off but should be lit: ${when}` });
  } else if (reading.lampOn === true && drawing === false && supplied) {
    // Relay closed, no load: burnt lamp or driver — whatever the schedule says.
    conditions.push({
      cause: 'lamp-failure',
      code: 'no-power-draw',
      detail: `lamp reports on but draws ${fmt(powerW ?? 0)} W (≤ ${fmt(noPowerW)} W)${expectedW !== undefined ? `, expected ~${fmt(expectedW)} W` : ''}: ${when}`,
    });
  }

  if (dueDark && lit === true && drawing !== false) {
    conditions.push({ cause: 'day-burning', code: 'lit-in-daylight', detail: `lamp is lit${powerW !== undefined ? ` drawing ${fmt(powerW)} W` : ''} in ${when}` });
  }

  if (dueLit && lit === true && drawing !== false && reading.dimPct !== undefined) {
    // Only a reported level: without one, the power check against the scheduled level covers it.
    const level = reading.dimPct;
    if (expected.acceptableDimPcts.every((pct) => Math.abs(level - pct) > o.dimTolerancePct)) {
      conditions.push({
        cause: 'power-anomaly',
        code: 'dim-mismatch',
        detail: `runs at ${fmt(level)} % but the dimming schedule says ${expected.acceptableDimPcts.join(' or ')} %: ${when}`,
      });
    }
  }

  if (voltageV !== undefined && supplied) {
    const low = o.nominalVoltageV * (1 - o.voltageBandPct / 100);
    const high = o.nominalVoltageV * (1 + o.voltageBandPct / 100);
    if (voltageV < low || voltageV > high) {
      conditions.push({
        cause: 'power-anomaly',
        code: voltageV < low ? 'voltage-low' : 'voltage-high',
        detail: `supply ${fmt(voltageV)} V outside ${fmt(low)}–${fmt(high)} V`,
      });
    }
  }

  if (expectedW !== undefined && powerW !== undefined && lit === true && drawing === true) {
    const tolerance = Math.max((expectedW * o.powerTolerancePct) / 100, o.powerToleranceW);
    if (Math.abs(powerW - expectedW) > tolerance) {
      conditions.push({
        cause: 'power-anomaly',
        code: powerW > expectedW ? 'power-high' : 'power-low',
        detail: `draws ${fmt(powerW)} W, expected ${fmt(expectedW)} W (${fmt(rated ?? 0)} W rated at ${fmt(dimPct)} %, ±${fmt(tolerance)} W)`,
      });
    }
  }
  return conditions;
}

/**
 * Firmware that omits `dimPct`: assume the scheduled level; near a dim change, the acceptable level
 * that best explains the measured power, so a lamp switching a minute early is not a power anomaly.
 */
function likelyDimPct(expected: ExpectedLampState, powerW: number | undefined, rated: number | undefined): number {
  if (powerW === undefined || rated === undefined) return expected.expectedDimPct;
  let best = expected.expectedDimPct;
  for (const pct of expected.acceptableDimPcts) {
    if (Math.abs((rated * pct) / 100 - powerW) < Math.abs((rated * best) / 100 - powerW)) best = pct;
  }
  return best;
}
