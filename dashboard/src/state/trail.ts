import { Store } from './store';

/**
 * The truck trail on the map: which vehicle, which period, and (during a replay) the instant the
 * replay cursor stands at. The asset panel sets it; the map's trail layer draws it.
 */
export interface TrailRequest {
  vehicleId: string;
  /** Truck device id (for the live marker). */
  deviceId: string;
  from: number;
  to: number;
  /** Replay cursor (epoch ms) within [from, to]; null = show the whole trail. */
  replayAt: number | null;
}

export const trail = new Store<TrailRequest | null>(null);
