import type { Cause } from '@sanitation/contracts';
import type { DeviceInfo } from '../devices/device-directory.js';
import {
  BIN_FORECAST_DEFAULTS,
  forecastFill,
  SEPTIC_FORECAST_DEFAULTS,
  shouldRaiseCollection,
  type FillForecast,
} from '../rules/forecast/fill-forecast.js';
import type { ConditionTracker } from './condition-tracker.js';
import type { DeviceState } from './device-state.js';
import { HOUR_MS, MINUTE_MS, report, round1 } from './evaluation.js';

/**
 * "Must be emptied" for bins (collection) and septic tanks (pumping): one condition per device,
 * raised either by the level reaching the threshold (reactive) or by the forecast saying it will
 * be full before a truck could come (predictive), whichever comes first — so a filling bin gets
 * one raise. It clears when the level falls to the clear level (emptied/pumped).
 */
export interface LevelRule {
  full: Cause;
  forecastFull: Cause;
  /** Level the reactive rule raises at, %. */
  fullPct: number;
  clearPct: number;
  forecastEnabled: boolean;
  /** Level the forecast predicts the time to, %. */
  forecastTargetPct: number;
  /** Raise when the predicted time is within this, ms. */
  leadMs: number;
  /** Job due = predicted time − margin, ms. */
  dueMarginMs: number;
  forecastEveryMs: number;
  septic: boolean;
}

export function levelRuleFor(kind: 'bin' | 'septic', p: Record<string, number | boolean>): LevelRule {
  const n = (k: string): number => p[k] as number;
  return kind === 'bin'
    ? {
        full: 'bin-full',
        forecastFull: 'bin-forecast-full',
        fullPct: n('fullPct'),
        clearPct: n('clearPct'),
        forecastEnabled: p.forecastEnabled === true,
        forecastTargetPct: n('overflowPct'),
        // + the forecast period: the check runs only that often, so it must look that much further.
        leadMs: (n('forecastLeadMin') + n('forecastEveryMin')) * MINUTE_MS,
        dueMarginMs: n('dueMarginMin') * MINUTE_MS,
        forecastEveryMs: n('forecastEveryMin') * MINUTE_MS,
        septic: false,
      }
    : {
        full: 'septic-full',
        forecastFull: 'septic-forecast-full',
        fullPct: n('fullPct'),
        clearPct: n('clearPct'),
        forecastEnabled: p.forecastEnabled === true,
        forecastTargetPct: n('fullPct'),
        leadMs: n('forecastHorizonH') * HOUR_MS,
        dueMarginMs: n('dueMarginMin') * MINUTE_MS,
        forecastEveryMs: n('forecastEveryMin') * MINUTE_MS,
        septic: true,
      };
}

const optionsFor = (rule: LevelRule) => (rule.septic ? SEPTIC_FORECAST_DEFAULTS : BIN_FORECAST_DEFAULTS);

/** A new level reading (its own ts is "now"). */
export function onLevelReading(device: DeviceInfo, state: DeviceState, tracker: ConditionTracker, rule: LevelRule, ts: number, level: number): void {
  const opts = optionsFor(rule);
  state.recordLevel(ts, level, opts.windowMs / 200, opts.windowMs);
  const id = device.deviceId;
  if (tracker.isOpen(id, rule.full) || tracker.isOpen(id, rule.forecastFull)) {
    if (level <= rule.clearPct) {
      const reason = `${rule.septic ? 'level' : 'fill'} ${round1(level)} % ≤ ${rule.clearPct} %: ${rule.septic ? 'pumped out' : 'emptied'}`;
      tracker.clear(id, rule.full, ts, reason);
      tracker.clear(id, rule.forecastFull, ts, reason);
      state.lastForecastAt = Number.NEGATIVE_INFINITY;
    }
    return;
  }
  if (level >= rule.fullPct) {
    const forecast = rule.forecastEnabled && level < rule.forecastTargetPct ? runForecast(state, rule, ts) : null;
    const dueBy = forecast?.predictedFullAt != null ? forecast.predictedFullAt - rule.dueMarginMs : undefined;
    const what = rule.septic ? 'level' : 'fill';
    tracker.raise(report(device, rule.full, ts, `${what} ${round1(level)} % ≥ ${rule.fullPct} %`, { [rule.septic ? 'levelPct' : 'fillPct']: level, forecast }, dueBy));
    return;
  }
  if (rule.forecastEnabled && ts - state.lastForecastAt >= rule.forecastEveryMs) checkForecast(device, state, tracker, rule, ts);
}

/** Between readings (scheduler): the forecast at the clock's `now`. */
export function onForecastTick(device: DeviceInfo, state: DeviceState, tracker: ConditionTracker, rule: LevelRule, now: number): void {
  if (!rule.forecastEnabled || state.levels.length === 0) return;
  const id = device.deviceId;
  if (tracker.isOpen(id, rule.full) || tracker.isOpen(id, rule.forecastFull)) return;
  if (now - state.lastForecastAt < rule.forecastEveryMs) return;
  checkForecast(device, state, tracker, rule, now);
}

function runForecast(state: DeviceState, rule: LevelRule, now: number): FillForecast {
  state.lastForecastAt = now;
  return forecastFill({ readings: state.levels, thresholdPct: rule.forecastTargetPct, now, options: optionsFor(rule) });
}

function checkForecast(device: DeviceInfo, state: DeviceState, tracker: ConditionTracker, rule: LevelRule, now: number): void {
  const forecast = runForecast(state, rule, now);
  if (forecast.reason !== 'ok' || forecast.confidence === 'low') return;
  if (!shouldRaiseCollection({ forecast, now, leadTimeMs: rule.leadMs })) return;
  const fullAt = forecast.predictedFullAt!;
  const inMin = Math.max(0, Math.round((fullAt - now) / MINUTE_MS));
  const message = `${rule.septic ? 'level' : 'fill'} ${round1(forecast.levelNowPct ?? 0)} % rising ${round1(forecast.ratePctPerH ?? 0)} %/h: ${rule.forecastTargetPct} % in ~${inMin} min`;
  tracker.raise(report(device, rule.forecastFull, now, message, { forecast }, fullAt - rule.dueMarginMs));
}
