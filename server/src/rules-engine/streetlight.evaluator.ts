import type { Cause, RuleParams } from '@sanitation/contracts';
import type { DeviceInfo } from '../devices/device-directory.js';
import type { CabinetOptions } from '../rules/streetlight/cabinet-aggregation.js';
import { CyclingDetector, type CyclingOptions } from '../rules/streetlight/cycling.rule.js';
import type { LampFaultOptions } from '../rules/streetlight/lamp-fault.rule.js';
import { LightingSchedule } from '../rules/streetlight/lighting-schedule.js';
import { evaluateStreetlightReading } from '../rules/streetlight/streetlight.rules.js';
import type { CabinetMonitor } from './cabinet.monitor.js';
import { MINUTE_MS, num, report, type ReadingContext } from './evaluation.js';

type LightParams = RuleParams<'streetlight'>;
const PER_READING_CAUSES: readonly Cause[] = ['day-burning', 'power-anomaly', 'cycling'];

export function lampFaultOptions(p: LightParams): LampFaultOptions {
  const { nominalVoltageV, voltageBandPct, noSupplyBelowV, noPowerBelowW, noPowerBelowFraction, powerTolerancePct, powerToleranceW, powerFactor, dimTolerancePct } = p;
  return { nominalVoltageV, voltageBandPct, noSupplyBelowV, noPowerBelowW, noPowerBelowFraction, powerTolerancePct, powerToleranceW, powerFactor, dimTolerancePct };
}

export function cyclingOptions(p: LightParams): Partial<CyclingOptions> {
  return { windowMs: p.cyclingWindowMin * MINUTE_MS, minTransitions: p.cyclingMinTransitions, clearBelowTransitions: p.cyclingClearBelowTransitions };
}

export function cabinetOptions(p: LightParams): CabinetOptions {
  return {
    minCabinetLamps: p.cabinetMinLamps,
    openShare: p.cabinetOpenShare,
    togetherWithinMs: p.cabinetTogetherWithinMin * MINUTE_MS,
    clearShare: p.cabinetClearShare,
    holdIndividualMs: p.cabinetHoldIndividualMin * MINUTE_MS,
  };
}

/**
 * Streetlights: the lamp's astronomical schedule at the reading's ts (suncalc for its position,
 * the city's time zone for dimming hours), fault classification and cycling; lamp failures of
 * lamps on an aggregating cabinet go through the CabinetMonitor.
 */
export class StreetlightEvaluator {
  private readonly schedules = new Map<string, { params: LightParams; lat: number; lon: number; schedule: LightingSchedule }>();
  private cycling: CyclingDetector;

  constructor(
    private readonly timeZone: string,
    private readonly cabinets: CabinetMonitor,
    kindParams: LightParams,
  ) {
    this.cycling = new CyclingDetector(cyclingOptions(kindParams));
  }

  /** Kind-level parameters changed: cycling memory restarts with the new options. */
  reconfigure(kindParams: LightParams): void {
    this.cycling = new CyclingDetector(cyclingOptions(kindParams));
    this.cabinets.setOptions(cabinetOptions(kindParams));
  }

  evaluate({ device, reading, state, params: p, tracker }: ReadingContext<'streetlight'>): void {
    const v = reading.values;
    const at = reading.ts;
    const id = device.deviceId;
    const flag = (k: string): boolean | undefined => (typeof v[k] === 'boolean' ? (v[k] as boolean) : undefined);
    const result = evaluateStreetlightReading(
      {
        deviceId: id,
        reading: { ts: at, lampOn: flag('lampOn'), dimPct: num(v.dimPct), powerW: num(v.powerW), voltageV: num(v.voltageV), currentA: num(v.currentA) },
        lamp: { ratedPowerW: device.attributes.ratedPowerW },
      },
      this.schedule(device, p),
      this.cycling,
      lampFaultOptions(p),
    );

    const failure = result.conditions.find((c) => c.cause === 'lamp-failure');
    const seenWorking =
      (result.expected.shouldBeLit && !result.expected.inGrace) || (flag('lampOn') === true && (num(v.powerW) ?? 0) > p.noPowerBelowW);
    if (failure) {
      state.failure ??= { since: at, code: failure.code };
      if (this.cabinets.aggregates(device)) this.cabinets.lampFailed(device, { deviceId: id, since: state.failure.since, code: state.failure.code }, at);
      else tracker.raise(report(device, 'lamp-failure', at, failure.detail, { code: failure.code, values: v, cabinetId: device.attributes.cabinetId ?? null }));
    } else if (seenWorking && state.failure) {
      state.failure = undefined;
      tracker.clear(id, 'lamp-failure', at, 'lamp works as scheduled again');
      this.cabinets.lampRecovered(device, at);
    } else if (seenWorking) {
      tracker.clear(id, 'lamp-failure', at, 'lamp works as scheduled');
    }

    for (const cause of PER_READING_CAUSES) {
      const found = result.conditions.find((c) => c.cause === cause);
      if (found) tracker.raise(report(device, cause, at, found.detail, { code: found.code, values: v, cabinetId: device.attributes.cabinetId ?? null }));
      else tracker.clear(id, cause, at, `no ${cause} in the latest reading`);
    }
  }

  private schedule(device: DeviceInfo, p: LightParams): LightingSchedule {
    const cached = this.schedules.get(device.deviceId);
    if (cached && cached.params === p && cached.lat === device.lat && cached.lon === device.lon) return cached.schedule;
    const schedule = new LightingSchedule({
      lat: device.lat,
      lon: device.lon,
      timeZone: this.timeZone,
      switchOnAfterSunsetMs: p.switchOnAfterSunsetMin * MINUTE_MS,
      switchOffBeforeSunriseMs: p.switchOffBeforeSunriseMin * MINUTE_MS,
      graceMs: p.graceMin * MINUTE_MS,
      dimPct: p.dimPct,
      dimFromLocalHour: p.dimFromLocalHour,
      dimUntilLocalHour: p.dimUntilLocalHour,
    });
    this.schedules.set(device.deviceId, { params: p, lat: device.lat, lon: device.lon, schedule });
    return schedule;
  }
}
