import SunCalc from 'suncalc';
import { HOUR_MS, type Env } from './physics.types.js';

const DAY_MS = 24 * HOUR_MS;

export interface SunDay {
  /** Local midnight starting this day (epoch ms). */
  midnight: number;
  sunrise: number;
  sunset: number;
}

/**
 * Sunrise/sunset per local calendar day for the city's position (suncalc), cached: thousands of
 * lamps share the same astronomical clock, each adding only its own photocell offset.
 */
export class SunSchedule {
  private readonly cache = new Map<number, SunDay>();

  constructor(private readonly env: Env) {}

  localMidnight(t: number): number {
    const offset = this.env.utcOffsetH * HOUR_MS;
    return Math.floor((t + offset) / DAY_MS) * DAY_MS - offset;
  }

  day(t: number): SunDay {
    const midnight = this.localMidnight(t);
    let day = this.cache.get(midnight);
    if (!day) {
      // Ask for local noon so suncalc picks the right solar day.
      const times = SunCalc.getTimes(new Date(midnight + 12 * HOUR_MS), this.env.lat, this.env.lon);
      day = { midnight, sunrise: times.sunrise.getTime(), sunset: times.sunset.getTime() };
      this.cache.set(midnight, day);
    }
    return day;
  }
}
