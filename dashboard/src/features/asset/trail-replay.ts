import type { Vehicle } from '@sanitation/contracts';
import type { TrailRequest } from '../../state/trail';
import { cityDayRange } from '../../app/server-time';

export const TRAIL_RECENT_MS = 4 * 3_600_000;
/** Replay speed: trail time covered per wall-clock second while playing (a day in ~2.4 min). */
export const REPLAY_MS_PER_SECOND = 10 * 60_000;
export const REPLAY_TICK_MS = 100;

/** The vehicle whose GPS unit is this truck device (or whose id it is). */
export function vehicleOf(vehicles: readonly Vehicle[], deviceId: string): Vehicle | null {
  return vehicles.find((v) => v.deviceId === deviceId) ?? vehicles.find((v) => v.vehicleId === deviceId) ?? null;
}

export function recentTrail(vehicle: Pick<Vehicle, 'vehicleId' | 'deviceId'>, now: number): TrailRequest {
  return { vehicleId: vehicle.vehicleId, deviceId: vehicle.deviceId, from: now - TRAIL_RECENT_MS, to: now, replayAt: null };
}

/** A replay of one city day, cursor at its start; null for a bad date. */
export function dayReplay(vehicle: Pick<Vehicle, 'vehicleId' | 'deviceId'>, date: string, timeZone: string): TrailRequest | null {
  const day = cityDayRange(date, timeZone);
  return day ? { vehicleId: vehicle.vehicleId, deviceId: vehicle.deviceId, from: day.from, to: day.to, replayAt: day.from } : null;
}

/** Moves the cursor by `stepMs`, clamped into [from, to]; `ended` once it reaches the end. */
export function stepReplay(req: TrailRequest, stepMs: number): { next: TrailRequest; ended: boolean } {
  const at = Math.min(req.to, Math.max(req.from, (req.replayAt ?? req.from) + stepMs));
  return { next: { ...req, replayAt: at }, ended: at >= req.to };
}

export function seekReplay(req: TrailRequest, at: number): TrailRequest {
  return { ...req, replayAt: Math.min(req.to, Math.max(req.from, at)) };
}
