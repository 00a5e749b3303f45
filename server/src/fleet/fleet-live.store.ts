import { Injectable } from '@nestjs/common';
import type { AcceptedReading, UnitPosition } from '@sanitation/contracts';
import { FLEET_DEFAULTS } from './fleet.defaults.js';
import { addSample, type LevelSample } from './level-proof.js';
import { trackTruck, type StopEpisode, type TruckFix, type TruckTrack } from './stop-detector.js';

export interface TruckLive {
  track: TruckTrack;
  position: UnitPosition;
  loadKg: number | null;
}

const num = (v: number | boolean | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * What the fleet knows live, in memory (rebuilt from readings after a restart): each truck's
 * latest fix and stop, and the recent levels of bins (fillPct) and septic tanks (levelPct).
 * Ordered by the readings' own ts: an older or replayed reading changes nothing.
 */
@Injectable()
export class FleetLiveStore {
  private readonly trucks = new Map<string, TruckLive>();
  private readonly levels = new Map<string, LevelSample[]>();
  /** Bumped whenever any truck position changes: the proposal task re-ranks only then. */
  positionsVersion = 0;

  /** Folds a truck reading in; returns the stop it starts, `null` for no new stop, `undefined` when ignored (stale or no GPS). */
  applyTruck(reading: AcceptedReading, opts = FLEET_DEFAULTS): StopEpisode | null | undefined {
    const v = reading.values;
    const prev = this.trucks.get(reading.deviceId);
    const lat = num(v.lat);
    const lon = num(v.lon);
    const loadKg = num(v.loadKg);
    if (lat === undefined || lon === undefined) {
      // A fix without GPS still tells the load.
      if (prev && loadKg !== undefined && reading.ts > prev.track.last.ts) prev.loadKg = loadKg;
      return undefined;
    }
    const fix: TruckFix = { ts: reading.ts, lat, lon };
    const speed = num(v.speedKmh);
    if (speed !== undefined) fix.speedKmh = speed;
    if (typeof v.ignition === 'boolean') fix.ignition = v.ignition;
    const next = trackTruck(prev?.track, fix, { stopSpeedKmh: opts.STOP_SPEED_KMH, geofenceM: opts.GEOFENCE_M });
    if (!next) return undefined;
    const heading = num(v.headingDeg);
    const position: UnitPosition = { lat, lon, ts: new Date(reading.ts).toISOString() };
    if (speed !== undefined) position.speedKmh = speed;
    if (heading !== undefined) position.headingDeg = heading;
    this.trucks.set(reading.deviceId, { track: next.track, position, loadKg: loadKg ?? prev?.loadKg ?? null });
    this.positionsVersion++;
    return next.started;
  }

  /** Adds a bin fill / tank level sample; false when it was already known. */
  applyLevel(deviceId: string, ts: number, pct: number, keep: number = FLEET_DEFAULTS.LEVEL_HISTORY): boolean {
    let history = this.levels.get(deviceId);
    if (!history) this.levels.set(deviceId, (history = []));
    return addSample(history, { ts, pct }, keep);
  }

  truck(deviceId: string): TruckLive | undefined {
    return this.trucks.get(deviceId);
  }

  levelHistory(deviceId: string): readonly LevelSample[] {
    return this.levels.get(deviceId) ?? [];
  }

  latestLevel(deviceId: string): LevelSample | null {
    return this.levels.get(deviceId)?.at(-1) ?? null;
  }
}
