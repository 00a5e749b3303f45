/**
 * What the streetlight rules report: a cause (one open alarm/job per device and cause in the core)
 * and a finer code saying which check fired, with a detail a crew can read.
 */

export const STREETLIGHT_CAUSES = ['lamp-failure', 'day-burning', 'power-anomaly', 'cycling', 'cabinet-fault'] as const;
export type StreetlightCause = (typeof STREETLIGHT_CAUSES)[number];

export type StreetlightFaultCode =
  /** Should be lit, reports off (relay stuck open, controller fault). */
  | 'off-when-due'
  /** Reports on but draws (almost) nothing: burnt-out lamp or driver. */
  | 'no-power-draw'
  /** Should be lit and the lamp sees no mains: feeder, fuse or cable. */
  | 'no-supply'
  | 'lit-in-daylight'
  | 'voltage-low'
  | 'voltage-high'
  | 'power-high'
  | 'power-low'
  /** Lit at a level the dimming schedule does not call for (e.g. full power after midnight). */
  | 'dim-mismatch'
  | 'rapid-switching'
  /** Most lamps of one cabinet failed together. */
  | 'cabinet-outage'
  /** Most lamps of one cabinet burn in daylight together: contactor or timer stuck on. */
  | 'cabinet-day-burning';

export interface LampCondition {
  cause: StreetlightCause;
  code: StreetlightFaultCode;
  /** Human-readable, names the values that tripped the check. */
  detail: string;
}

/** Rounds for display without trailing noise ("231.4 V", "0 W"). */
export function fmt(n: number, digits = 1): string {
  return String(Math.round(n * 10 ** digits) / 10 ** digits);
}
