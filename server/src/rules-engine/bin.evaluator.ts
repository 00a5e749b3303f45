import { hysteresis, MINUTE_MS, num, report, round1, type ReadingContext } from './evaluation.js';
import { levelRuleFor, onLevelReading } from './level.evaluator.js';

/** Bins: fire (limit or jump, on the very reading), tilt, low battery, fill and its forecast. */
export function evaluateBin({ device, reading, state, params: p, tracker }: ReadingContext<'bin'>): void {
  const v = reading.values;
  const id = device.deviceId;
  const at = reading.ts;

  const tempC = num(v.tempC);
  if (tempC !== undefined) {
    const jump = state.recordTemp(at, tempC, p.fireJumpWindowMin * MINUTE_MS);
    const hot = tempC >= p.fireTempC;
    const jumping = jump >= p.fireJumpC;
    hysteresis(
      tracker,
      hot || jumping,
      tempC < p.fireClearTempC && !jumping,
      () =>
        report(
          device,
          'bin-fire',
          at,
          hot ? `temperature ${round1(tempC)} °C ≥ ${p.fireTempC} °C` : `temperature jumped ${round1(jump)} °C within ${p.fireJumpWindowMin} min to ${round1(tempC)} °C`,
          { tempC, jumpC: round1(jump) },
        ),
      id,
      'bin-fire',
      at,
      `temperature ${round1(tempC)} °C < ${p.fireClearTempC} °C`,
    );
  }

  if (typeof v.tilted === 'boolean') {
    hysteresis(tracker, v.tilted, !v.tilted, () => report(device, 'bin-tilt', at, 'bin tilted or knocked over', { tilted: true }), id, 'bin-tilt', at, 'upright again');
  }

  const battery = num(v.batteryPct);
  if (battery !== undefined) {
    hysteresis(
      tracker,
      battery < p.batteryLowPct,
      battery >= p.batteryClearPct,
      () => report(device, 'bin-battery-low', at, `battery ${round1(battery)} % < ${p.batteryLowPct} %`, { batteryPct: battery }),
      id,
      'bin-battery-low',
      at,
      `battery ${round1(battery)} %`,
    );
  }

  const fill = num(v.fillPct);
  if (fill !== undefined) onLevelReading(device, state, tracker, levelRuleFor('bin', p), at, fill);
}
