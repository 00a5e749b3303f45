import { hysteresis, num, report, round1, type ReadingContext } from './evaluation.js';

/** Toilets: odour, visits since the last cleaning, consumables, water leak. */
export function evaluateToilet({ device, reading, state, params: p, tracker }: ReadingContext<'toilet'>): void {
  const v = reading.values;
  const id = device.deviceId;
  const at = reading.ts;
  const prev = state.lastValues;

  const nh3 = num(v.nh3Ppm);
  const h2s = num(v.h2sPpm);
  if (nh3 !== undefined || h2s !== undefined) {
    const over = (nh3 ?? 0) >= p.nh3Ppm || (h2s ?? 0) >= p.h2sPpm;
    hysteresis(
      tracker,
      over,
      (nh3 ?? 0) < p.nh3ClearPpm && (h2s ?? 0) < p.h2sClearPpm,
      () => report(device, 'toilet-odour', at, `odour: NH3 ${round1(nh3 ?? 0)} ppm (limit ${p.nh3Ppm}), H2S ${round1(h2s ?? 0)} ppm (limit ${p.h2sPpm})`, { nh3Ppm: nh3, h2sPpm: h2s }),
      id,
      'toilet-odour',
      at,
      'odour below the clear levels',
    );
  }

  // A cleaning restocks paper and soap: a jump in either resets the visit count.
  const paper = num(v.paperPct);
  const soap = num(v.soapPct);
  const rose = (now: number | undefined, before: unknown): boolean => now !== undefined && typeof before === 'number' && now - before >= p.cleaningJumpPct;
  if (rose(paper, prev.paperPct) || rose(soap, prev.soapPct)) {
    state.visitsSinceCleaning = 0;
    tracker.clear(id, 'toilet-visits', at, 'cleaned (paper/soap restocked)');
  }
  if (state.visitsSinceCleaning >= p.visitsPerCleaning) {
    tracker.raise(report(device, 'toilet-visits', at, `${state.visitsSinceCleaning} visits since the last cleaning (limit ${p.visitsPerCleaning})`, { visits: state.visitsSinceCleaning }));
  }

  if (paper !== undefined || soap !== undefined) {
    const low = (paper ?? 100) < p.paperLowPct || (soap ?? 100) < p.soapLowPct;
    hysteresis(
      tracker,
      low,
      (paper ?? 100) >= p.restockClearPct && (soap ?? 100) >= p.restockClearPct,
      () => report(device, 'toilet-consumables', at, `paper ${round1(paper ?? 100)} %, soap ${round1(soap ?? 100)} % (low below ${p.paperLowPct} / ${p.soapLowPct} %)`, { paperPct: paper, soapPct: soap }),
      id,
      'toilet-consumables',
      at,
      'restocked',
    );
  }

  if (typeof v.waterLeak === 'boolean') {
    hysteresis(tracker, v.waterLeak, !v.waterLeak, () => report(device, 'toilet-leak', at, 'water leak detected', { waterLeak: true }), id, 'toilet-leak', at, 'leak stopped');
  }
}

/** Visits are counted for every delivered reading, stale ones too (they happened). */
export function countToiletVisits(state: { visitsSinceCleaning: number }, values: Record<string, number | boolean>): void {
  const visits = num(values.visits);
  if (visits !== undefined && visits > 0) state.visitsSinceCleaning += visits;
}
