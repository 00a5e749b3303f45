import type { TravelSource } from '@sanitation/contracts';

/**
 * Where travel times come from. The planner asks for one matrix over all the points of a plan and
 * for the driven path between consecutive stops (to draw and to check off-route). Implementations:
 * the city's street graph (from the uploaded base map), a straight line × detour factor where there
 * is no graph, and an OSRM server (`/table` and `/route`); a Valhalla one would fit the same shape.
 */
export interface LonLat {
  lon: number;
  lat: number;
}

export interface TravelMatrix {
  /** number of points; matrices are row-major n×n, `m[from * n + to]` */
  size: number;
  /** metres */
  distanceM: Float64Array;
  /** seconds */
  durationS: Float64Array;
  /** per point: false when it could not be placed on the network (distance/duration then use the fallback estimate) */
  snapped: boolean[];
  source: TravelSource;
}

export interface TravelTimeProvider {
  readonly source: TravelSource;
  matrix(points: readonly LonLat[]): Promise<TravelMatrix>;
  /** [lon, lat] polyline driven from `from` to `to` (straight segment when no graph) */
  path(from: LonLat, to: LonLat): Promise<[number, number][]>;
}

/** DI token for the active provider. */
export const TRAVEL_TIME_PROVIDER = Symbol('TravelTimeProvider');
