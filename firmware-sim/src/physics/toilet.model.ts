import type { ToiletTelemetry } from '@sanitation/contracts';
import type { ZoneType } from '../city/city.types.js';
import type { Rng } from '../shared/rng.js';
import { bump, clamp, HOUR_MS, localHour, round, type Env, type FaultFlags } from './physics.types.js';

export interface ToiletParams {
  stalls: number;
  zoneType: ZoneType;
}

export interface ToiletState {
  visitsSinceReport: number;
  occupiedStalls: number;
  nh3Ppm: number;
  h2sPpm: number;
  paperPct: number;
  soapPct: number;
  waterLeak: boolean;
  /** Last cleaning round (epoch ms). */
  cleanedAt: number;
}

/** Attendants clean and restock at these local hours. */
export const CLEANING_HOURS = [6, 12, 18];
const VENTILATION_TAU_H = 2; // odour decays with this time constant
const NH3_PER_VISIT = 0.05; // ppm·(8 stalls / stalls)
const H2S_PER_VISIT = 0.004;

/** Visits per stall per hour: morning and evening peaks, a lunchtime bump, near zero at night. */
export function visitRatePerStall(h: number, zoneType: ZoneType): number {
  const zone = zoneType === 'commercial' || zoneType === 'park' ? 1.4 : zoneType === 'industrial' ? 0.6 : 1;
  return zone * (0.08 + 2.2 * bump(h, 8, 1.2) + 1.2 * bump(h, 12.5, 1.2) + 2.0 * bump(h, 18.5, 1.5));
}

export function initToilet(t: number, rng: Rng): ToiletState {
  return { visitsSinceReport: 0, occupiedStalls: 0, nh3Ppm: rng.range(0.2, 0.6), h2sPpm: 0.02, paperPct: 100, soapPct: 100, waterLeak: false, cleanedAt: t };
}

function lastCleaningBefore(t: number, env: Env): number {
  const h = localHour(t, env);
  const past = [...CLEANING_HOURS].reverse().find((c) => c <= h);
  const hoursBack = past === undefined ? h + 24 - CLEANING_HOURS[CLEANING_HOURS.length - 1]! : h - past;
  return t - hoursBack * HOUR_MS;
}

/** Visits arrive (Poisson), odour builds per visit and ventilates away; cleaning rounds reset it. */
export function stepToilet(s: ToiletState, p: ToiletParams, env: Env, t: number, dtMs: number, rng: Rng, faults: FaultFlags = {}): ToiletState {
  let next = { ...s };
  const slices = Math.max(1, Math.ceil(dtMs / (5 * 60_000)));
  const slice = dtMs / slices;
  for (let i = 0; i < slices; i++) {
    const t1 = t + (i + 1) * slice;
    const h = localHour(t + (i + 0.5) * slice, env);
    const rate = visitRatePerStall(h, p.zoneType) * p.stalls;
    const visits = rng.poisson((rate * slice) / HOUR_MS);
    const decay = Math.exp(-slice / HOUR_MS / VENTILATION_TAU_H);
    const perVisit = 8 / p.stalls;
    next.visitsSinceReport += visits;
    next.nh3Ppm = next.nh3Ppm * decay + visits * NH3_PER_VISIT * perVisit;
    next.h2sPpm = next.h2sPpm * decay + visits * H2S_PER_VISIT * perVisit;
    next.paperPct = clamp(next.paperPct - (visits * 5) / p.stalls, 0, 100);
    next.soapPct = clamp(next.soapPct - (visits * 3) / p.stalls, 0, 100);
    next.occupiedStalls = Math.min(p.stalls, rng.poisson((rate * 4) / 60)); // ~4 min per visit
    const cleaning = lastCleaningBefore(t1, env);
    if (cleaning > next.cleanedAt) {
      next = { ...next, cleanedAt: cleaning, nh3Ppm: next.nh3Ppm * 0.2, h2sPpm: next.h2sPpm * 0.2, paperPct: 100, soapPct: 100 };
    }
  }
  if (faults.gasSpike) next = { ...next, nh3Ppm: Math.max(next.nh3Ppm, rng.range(15, 30)), h2sPpm: Math.max(next.h2sPpm, rng.range(3, 8)) };
  if (!next.waterLeak && rng.chance((0.002 * dtMs) / (24 * HOUR_MS))) next.waterLeak = true;
  return next;
}

export function readToilet(s: ToiletState, p: ToiletParams): { reading: Omit<ToiletTelemetry, 'ts' | 'seq'>; state: ToiletState } {
  return {
    reading: {
      occupiedStalls: s.occupiedStalls,
      stalls: p.stalls,
      visits: s.visitsSinceReport,
      nh3Ppm: round(s.nh3Ppm, 2),
      h2sPpm: round(s.h2sPpm, 3),
      paperPct: round(s.paperPct),
      soapPct: round(s.soapPct),
      waterLeak: s.waterLeak,
    },
    // `visits` counts since the last reading, so reporting resets it.
    state: { ...s, visitsSinceReport: 0 },
  };
}
