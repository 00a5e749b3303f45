import { num, report, round1, type ReadingContext } from './evaluation.js';
import { levelRuleFor, onLevelReading } from './level.evaluator.js';

/** Septic tanks: level and its forecast (pumping), H2S/CH4 (gas alarm; jobs there unsafe until it clears). */
export function evaluateSeptic({ device, reading, state, params: p, tracker }: ReadingContext<'septic'>): void {
  const v = reading.values;
  const id = device.deviceId;
  const at = reading.ts;

  const h2s = num(v.h2sPpm);
  const ch4 = num(v.ch4PctLel);
  if (h2s !== undefined || ch4 !== undefined) {
    const over = (h2s ?? 0) >= p.h2sPpm || (ch4 ?? 0) >= p.ch4PctLel;
    const message = `gas: H2S ${round1(h2s ?? 0)} ppm (limit ${p.h2sPpm}), CH4 ${round1(ch4 ?? 0)} % LEL (limit ${p.ch4PctLel})`;
    if (over) {
      if (tracker.raise(report(device, 'septic-gas', at, message, { h2sPpm: h2s, ch4PctLel: ch4 }))) {
        tracker.setUnsafe(id, 'septic-gas', true, at, message);
      }
    } else if ((h2s ?? 0) < p.h2sClearPpm && (ch4 ?? 0) < p.ch4ClearPctLel) {
      if (tracker.clear(id, 'septic-gas', at, 'gas below the clear levels')) {
        tracker.setUnsafe(id, 'septic-gas', false, at, `gas fell back: H2S ${round1(h2s ?? 0)} ppm, CH4 ${round1(ch4 ?? 0)} % LEL`);
      }
    }
  }

  const level = num(v.levelPct);
  if (level !== undefined) onLevelReading(device, state, tracker, levelRuleFor('septic', p), at, level);
}
