import SunCalc from 'suncalc';
import {
  assertValidZone,
  formatLocalTime,
  HOUR_MS,
  localHour,
  localMidnight,
  MINUTE_MS,
  type CityTimeZone,
} from './local-clock.js';

/**
 * The astronomical clock of a lamp: on at sunset (+ offset), off at sunrise (− offset), part-night
 * dimming between two local hours. Same model as the simulator (suncalc sunrise/sunset of the local
 * calendar day, 50 % from 00:00 to 05:00 local), but not imported from it: server and firmware-sim
 * meet only over the wire.
 */

export const LIGHTING_DEFAULTS = {
  /** Switch on this long after sunset, ms (0 = at sunset, as the simulator does). */
  switchOnAfterSunsetMs: 0,
  /** Switch off this long before sunrise, ms. */
  switchOffBeforeSunriseMs: 0,
  /**
   * Either state is acceptable within this margin of a switching time (on/off and dim changes), ms.
   * Photocells and controller clocks drift by minutes; the simulator spreads lamps by ±4 min.
   */
  graceMs: 15 * MINUTE_MS,
  /** Part-night level, % of full output (100 = not dimmed). */
  dimPct: 50,
  /** Dimming starts at this local hour (may be > dimUntilLocalHour: the window then spans midnight). */
  dimFromLocalHour: 0,
  /** Dimming ends at this local hour. */
  dimUntilLocalHour: 5,
} as const;

export type LightingOptions = { -readonly [K in keyof typeof LIGHTING_DEFAULTS]: number };

export type LightingScheduleConfig = {
  lat: number;
  lon: number;
} & CityTimeZone &
  Partial<LightingOptions>;

export type LightingReason =
  | 'day'
  | 'night'
  | 'night-dimmed'
  | 'dusk-grace'
  | 'dawn-grace'
  | 'polar-day'
  | 'polar-night';

export interface ExpectedLampState {
  /** Nominal state per schedule. Inside the grace margin this is advisory, see `inGrace`. */
  shouldBeLit: boolean;
  /** Lit or dark are both acceptable now (close to the on/off switching time). */
  inGrace: boolean;
  /** Level a lit lamp should run at now, % (100 = full). */
  expectedDimPct: number;
  /** Levels acceptable now: one value, or two close to a dim change. */
  acceptableDimPcts: readonly number[];
  reason: LightingReason;
  /** Human-readable, e.g. "night (on 17:12, off 06:51 local)". */
  detail: string;
  /** Today's switch-on / switch-off instants (epoch ms); NaN in polar day/night. */
  switchOnAt: number;
  switchOffAt: number;
}

interface SunDay {
  sunrise: number;
  sunset: number;
  /** Set when the sun neither rises nor sets this day. */
  polar: 'day' | 'night' | null;
}

/** Sun days kept per schedule; readings arrive near "now", so a few days cover them. */
const SUN_DAY_CACHE_SIZE = 8;

export class LightingSchedule {
  private readonly opts: LightingOptions;
  private readonly zone: CityTimeZone;
  private readonly sunDays = new Map<number, SunDay>();

  constructor(private readonly config: LightingScheduleConfig) {
    if (!(Math.abs(config.lat) <= 90)) throw new RangeError(`lat: must be within ±90, got ${config.lat}`);
    if (!(Math.abs(config.lon) <= 180)) throw new RangeError(`lon: must be within ±180, got ${config.lon}`);
    this.zone = 'timeZone' in config ? { timeZone: config.timeZone } : { utcOffsetMinutes: config.utcOffsetMinutes };
    assertValidZone(this.zone);
    this.opts = { ...LIGHTING_DEFAULTS };
    for (const key of Object.keys(LIGHTING_DEFAULTS) as (keyof LightingOptions)[]) {
      const v = config[key];
      if (v === undefined) continue;
      if (!Number.isFinite(v)) throw new RangeError(`${key}: must be a finite number, got ${v}`);
      this.opts[key] = v;
    }
    if (this.opts.dimPct < 0 || this.opts.dimPct > 100) throw new RangeError(`dimPct: must be 0–100, got ${this.opts.dimPct}`);
    for (const key of ['dimFromLocalHour', 'dimUntilLocalHour'] as const) {
      if (this.opts[key] < 0 || this.opts[key] > 24) throw new RangeError(`${key}: must be 0–24, got ${this.opts[key]}`);
    }
    if (this.opts.graceMs < 0) throw new RangeError(`graceMs: must be ≥ 0, got ${this.opts.graceMs}`);
  }

  get timeZone(): CityTimeZone {
    return this.zone;
  }

  get options(): Readonly<LightingOptions> {
    return this.opts;
  }

  /** What a healthy lamp should be doing at instant `at` (epoch ms). */
  expectedState(at: number): ExpectedLampState {
    const sun = this.sunDay(at);
    const dim = this.dimAt(at);
    const local = (t: number): string => formatLocalTime(this.zone, t);
    if (sun.polar) {
      const lit = sun.polar === 'night';
      return {
        shouldBeLit: lit,
        inGrace: false,
        ...dim,
        reason: lit ? 'polar-night' : 'polar-day',
        detail: lit ? 'polar night: lit all day' : 'polar day: no darkness today',
        switchOnAt: Number.NaN,
        switchOffAt: Number.NaN,
      };
    }
    const switchOnAt = sun.sunset + this.opts.switchOnAfterSunsetMs;
    const switchOffAt = sun.sunrise - this.opts.switchOffBeforeSunriseMs;
    const shouldBeLit = at < switchOffAt || at >= switchOnAt;
    const nearOff = Math.abs(at - switchOffAt) <= this.opts.graceMs;
    const nearOn = Math.abs(at - switchOnAt) <= this.opts.graceMs;
    const window = `on ${local(switchOnAt)}, off ${local(switchOffAt)} local`;
    let reason: LightingReason;
    if (nearOff) reason = 'dawn-grace';
    else if (nearOn) reason = 'dusk-grace';
    else if (!shouldBeLit) reason = 'day';
    else reason = dim.expectedDimPct < 100 ? 'night-dimmed' : 'night';
    const what: Record<LightingReason, string> = {
      day: 'daylight',
      night: 'night',
      'night-dimmed': `night, dimmed to ${dim.expectedDimPct} %`,
      'dusk-grace': 'dusk, within the switching grace',
      'dawn-grace': 'dawn, within the switching grace',
      'polar-day': 'polar day',
      'polar-night': 'polar night',
    };
    return {
      shouldBeLit,
      inGrace: nearOff || nearOn,
      ...dim,
      reason,
      detail: `${what[reason]} at ${local(at)} (${window})`,
      switchOnAt,
      switchOffAt,
    };
  }

  /** Dim level now and whether a dim change is close enough that both levels are acceptable. */
  private dimAt(at: number): { expectedDimPct: number; acceptableDimPcts: readonly number[] } {
    const { dimPct, dimFromLocalHour: from, dimUntilLocalHour: until, graceMs } = this.opts;
    if (dimPct >= 100 || from === until) return { expectedDimPct: 100, acceptableDimPcts: [100] };
    const h = localHour(this.zone, at);
    const inWindow = from < until ? h >= from && h < until : h >= from || h < until;
    const expectedDimPct = inWindow ? dimPct : 100;
    const graceH = graceMs / HOUR_MS;
    // Circular distance in hours, so a change at 00:00 is near both 23:55 and 00:05.
    const near = (edge: number): boolean => {
      const d = Math.abs(h - edge) % 24;
      return Math.min(d, 24 - d) <= graceH;
    };
    const acceptableDimPcts = near(from) || near(until) ? [expectedDimPct, inWindow ? 100 : dimPct] : [expectedDimPct];
    return { expectedDimPct, acceptableDimPcts };
  }

  /** Sunrise and sunset of the local calendar day containing `at`. */
  private sunDay(at: number): SunDay {
    const midnight = localMidnight(this.zone, at);
    const cached = this.sunDays.get(midnight);
    if (cached) return cached;
    // Ask for local noon so suncalc picks this local day's solar day (as the simulator does).
    const noon = new Date(midnight + 12 * HOUR_MS);
    const times = SunCalc.getTimes(noon, this.config.lat, this.config.lon);
    const sunrise = times.sunrise.getTime();
    const sunset = times.sunset.getTime();
    let polar: SunDay['polar'] = null;
    if (Number.isNaN(sunrise) || Number.isNaN(sunset)) {
      const altitude = SunCalc.getPosition(times.solarNoon, this.config.lat, this.config.lon).altitude;
      polar = altitude > 0 ? 'day' : 'night';
    }
    const day: SunDay = { sunrise, sunset, polar };
    if (this.sunDays.size >= SUN_DAY_CACHE_SIZE) {
      const oldest = this.sunDays.keys().next().value;
      if (oldest !== undefined) this.sunDays.delete(oldest);
    }
    this.sunDays.set(midnight, day);
    return day;
  }
}
