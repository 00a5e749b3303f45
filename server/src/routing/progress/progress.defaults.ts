/**
 * Live plan tracking tuning (units in the comments). Sim ms follow the server Clock (the simulator's
 * speed); wall ms are real time (socket and database load).
 */
export const PROGRESS_DEFAULTS = {
  OFF_ROUTE_M: 150, // metres from the planned path beyond which a fix counts as off route
  OFF_ROUTE_GRACE_MS: 120_000, // ms (sim, fix time): off route this long → `plan:off-route` + an `off-route` alarm
  ARRIVE_M: 50, // metres: a fix this close to a stop is an arrival there
  LEAVE_M: 100, // metres: after arriving at an unload site, a fix this far away means it left (unload done)
  LOOKAHEAD_STOPS: 3, // arrivals by position are looked for at the next this-many stops only (passing a later bin is not a visit)
  EMIT_EVERY_MS: 1_000, // ms (wall): changed plans' progress is saved and sent at most this often
  PLANS_REFRESH_MS: 5_000, // ms (wall): how often the published plans are re-read (also on every plan change)
} as const;

export type ProgressOptions = { -readonly [K in keyof typeof PROGRESS_DEFAULTS]: number };
