import type { LatLon } from '@sanitation/contracts';
import { haversineM } from '../common/geo.js';

/** One GPS fix of a truck, from a reading. */
export interface TruckFix extends LatLon {
  ts: number;
  speedKmh?: number;
  ignition?: boolean;
}

/** A truck standing still in one place. */
export interface StopEpisode extends LatLon {
  /** ts of the first reading that showed it stopped. */
  since: number;
  /** ts of the reading before that (still moving): the truck arrived after it. Null for the first fix. */
  arrivedAfter: number | null;
}

export interface TruckTrack {
  last: TruckFix;
  stop: StopEpisode | null;
}

export interface StopOptions {
  stopSpeedKmh: number;
  /** A "stopped" fix farther than this from the episode's start starts a new stop. */
  geofenceM: number;
}

/**
 * Stopped = slower than the threshold with the ignition on or not reported (ignition off is
 * parked, not serving). Without a reported speed, the speed is derived from the previous fix.
 */
export function isStopped(fix: TruckFix, prev: TruckFix | undefined, opts: StopOptions): boolean {
  if (fix.ignition === false) return false;
  if (fix.speedKmh !== undefined) return fix.speedKmh < opts.stopSpeedKmh;
  if (!prev || fix.ts <= prev.ts) return false;
  const kmh = (haversineM(prev, fix) / ((fix.ts - prev.ts) / 1000)) * 3.6;
  return kmh < opts.stopSpeedKmh;
}

/**
 * Folds one fix into a truck's track. Returns null for a fix not newer than the last one (late or
 * replayed readings change nothing); `started` is set on the first fix of a new stop.
 */
export function trackTruck(track: TruckTrack | undefined, fix: TruckFix, opts: StopOptions): { track: TruckTrack; started: StopEpisode | null } | null {
  if (track && fix.ts <= track.last.ts) return null;
  if (!isStopped(fix, track?.last, opts)) return { track: { last: fix, stop: null }, started: null };
  const current = track?.stop;
  if (current && haversineM(current, fix) <= opts.geofenceM) return { track: { last: fix, stop: current }, started: null };
  const stop: StopEpisode = { since: fix.ts, arrivedAfter: track ? track.last.ts : null, lat: fix.lat, lon: fix.lon };
  return { track: { last: fix, stop }, started: stop };
}
