/**
 * Fleet, proof-of-service and custody tuning, in one place (units in the comments). Not settings
 * from the environment: nothing here differs between deployments of one city yet. Shifts are read
 * in the city's time zone (SERVER_CONFIG.CITY_TIME_ZONE).
 */
export const FLEET_DEFAULTS = {
  GEOFENCE_M: 50, // metres: a stop this close to a bin/tank counts as a stop "at" it
  STOP_SPEED_KMH: 3, // km/h: slower than this (ignition on or not reported) = stopped
  LEVEL_DROP_PCT: 30, // percentage points the level must fall after the stop to prove the emptying
  BIN_EMPTY_PCT: 20, // percent: a bin at or below this after the stop (and lower than before) is emptied too
  PROOF_WINDOW_MS: 6 * 3_600_000, // ms (sim): a level drop this long after a stop is no longer attributed to it
  CUSTODY_WINDOW_MS: 3 * 3_600_000, // ms (sim): a tanker must reach a disposal site this soon after pumping
  ROAD_DETOUR: 1.3, // road distance / straight-line distance
  VEHICLE_KMH: 25, // km/h: average vehicle speed in town, for travel estimates
  CREW_KMH: 20, // km/h: average crew speed (van, e-bike)
  PROPOSALS_EVERY_MS: 2_000, // ms (wall): re-propose open unassigned jobs when positions changed
  CUSTODY_EVERY_MS: 1_000, // ms (wall): custody deadline check
  TOP_CANDIDATES: 5, // candidates returned by GET /api/vehicles/proposals
  REPROPOSE_MIN_GAIN_S: 60, // s: replace a standing proposal only when the new unit is this much faster
  LEVEL_HISTORY: 8, // bin/tank level readings kept per device (a drop may arrive before the stop)
  DISPOSAL_STOPS_KEPT: 8, // disposal-site stops kept per tanker (a tank's drop may be confirmed after it)
  SEPTIC_REFRESH_MS: 60_000, // ms (wall): how often the septic-tank location cache is reloaded
} as const;

export type FleetOptions = { -readonly [K in keyof typeof FLEET_DEFAULTS]: number };
