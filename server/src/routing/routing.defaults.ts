/**
 * Route-planning tuning, in one place (units in the comments). Not environment settings: nothing
 * here differs between deployments of one city yet. Times of day are read in the city's time zone
 * (SERVER_CONFIG.CITY_TIME_ZONE).
 */
export const ROUTING_DEFAULTS = {
  WASTE_DENSITY_KG_PER_L: 0.2, // kg/L: loose household waste in a bin
  SEPTIC_DENSITY_KG_PER_L: 1, // kg/L: sludge
  BIN_CAPACITY_L: 240, // L: a bin whose attributes do not say capacityL
  SEPTIC_CAPACITY_L: 10_000, // L: a tank whose attributes do not say tankM3
  BIN_SERVICE_S: 90, // s: lift, empty, put back one bin
  SEPTIC_SERVICE_S: 1_200, // s: pump out one tank
  UNLOAD_S: 15 * 60, // s: weigh in, tip, weigh out at a transfer/disposal site
  PER_DISTANCE: 0.001, // objective cost per metre driven (fuel)
  PER_DURATION: 0.01, // objective cost per second of route (crew time): 1 s weighs as much as 10 m
  FIRST_PASS_SHARE: 0.7, // share of the time limit for the first solve (demands at an estimated time)
  REFINE_LIMIT_MS: 3_000, // ms: the second solve (demands at the planned service times) at most this
  REPLAN_LIMIT_MS: 2_000, // ms: re-plan on a new job / breakdown
  PER_LATE: 1, // objective cost per second a truck is back after its fair share (balance): 100 × PER_DURATION, so one bin's worth of lateness pays for opening a second truck's route
  BALANCE_SLACK: 1.1, // a truck's fair share of the round = total route time of the first pass ÷ trucks × this
  BALANCE_FIRST_PASS_SHARE: 0.4, // with balance: share of the time limit for the first (unbalanced) solve
  NO_IMPROVEMENT_MIN: 2_000, // a solve stops after max(this, NO_IMPROVEMENT_PER_STOP × stops) iterations without a better plan
  NO_IMPROVEMENT_PER_STOP: 50,
  SKIP_REFINE_BELOW: 0.02, // relative change of total demand under which the second solve is skipped
} as const;

export type RoutingDefaults = typeof ROUTING_DEFAULTS;
