import { SERVER_DEFAULTS } from '../../config/server.config.js';

/**
 * Travel-time tuning in one place (units in the comments). The provider kind and the OSRM server
 * come from the environment (SERVER_CONFIG: ROUTING_TRAVEL, ROUTING_OSRM_URL, ROUTING_OSRM_TIMEOUT_MS), and so
 * do the straight-line estimate's detour and speed (ROUTING_DETOUR_FACTOR, ROUTING_AVERAGE_KMH); the rest
 * may be overridden per provider instance (tests, a city with other speeds).
 */
export const TRAVEL_DEFAULTS = {
  DETOUR_FACTOR: SERVER_DEFAULTS.ROUTING_DETOUR_FACTOR, // road distance / straight-line distance where there is no street path
  AVERAGE_KMH: SERVER_DEFAULTS.ROUTING_AVERAGE_KMH, // km/h: average speed for straight-line estimates
  MAIN_KMH: 40, // km/h on `class: main` streets
  SECONDARY_KMH: 30, // km/h on `class: secondary` streets
  LOCAL_KMH: 20, // km/h on `class: local` and unclassified streets
  MAX_SNAP_M: 500, // metres: a point farther than this from every street is not snapped (fallback estimate)
  NODE_PRECISION_DEG: 1e-6, // degrees: line coordinates equal after rounding to this are one graph node
  GRID_CELL_M: 200, // metres: cell size of the spatial index used for snapping
  GRAPH_CHECK_MS: 2_000, // ms (wall): how often the street graph looks whether the base map was replaced
  OSRM_TIMEOUT_MS: 10_000, // ms (wall): per OSRM request
} as const;

export type TravelOptions = { -readonly [K in keyof typeof TRAVEL_DEFAULTS]: number };

export function travelOptions(overrides: Partial<TravelOptions> = {}): TravelOptions {
  return { ...TRAVEL_DEFAULTS, ...overrides };
}
