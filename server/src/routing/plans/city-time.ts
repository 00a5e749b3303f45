import { utcOffsetMs } from '../../rules/streetlight/local-clock.js';

/** City wall-clock conversions for plans: dates and HH:MM are the city's, instants epoch ms. */
export interface CityTime {
  /** Epoch ms of `hhmm` on `date` (YYYY-MM-DD) in the city. */
  at(date: string, hhmm: string): number;
  /** The city date (YYYY-MM-DD) at an instant. */
  dateOf(at: number): string;
  /** "2026-11-29 06:00" in the city. */
  format(at: number): string;
}

export function cityTime(timeZone: string): CityTime {
  const off = (at: number) => utcOffsetMs({ timeZone }, at);
  const local = (at: number) => new Date(at + off(at)).toISOString();
  return {
    at(date, hhmm) {
      const [y, m, d] = date.split('-').map(Number);
      const [h, min] = hhmm.split(':').map(Number);
      const wall = Date.UTC(y!, m! - 1, d!, h!, min!);
      // The offset at the guess; again at the result in case a DST change lies between.
      const first = wall - off(wall);
      return wall - off(first);
    },
    dateOf: (at) => local(at).slice(0, 10),
    format: (at) => local(at).slice(0, 16).replace('T', ' '),
  };
}

/** The next calendar date. */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10);
}
