import { RULE_DEFAULTS, type DeviceKind, type ReadingValues } from '@sanitation/contracts';

/**
 * What colour an asset is drawn in: one small integer per asset (kept in a typed array by the
 * asset store), derived from its kind, latest values, online flag and — when the dashboard knows
 * of one — an open alarm. Thresholds come from the rules' defaults so the map agrees with the jobs.
 */
export const ASSET_STATES = [
  'unknown', // registered, no reading yet
  'offline',
  'level-low', // bins / septic tanks: emptied
  'level-mid',
  'level-high', // a collection/pumping job is due
  'level-full', // overflowing / at the top
  'ok', // toilets
  'warn', // toilets: consumables low
  'alarm', // odour, leak, fire, gas, or an open alarm
  'lamp-on',
  'lamp-off',
  'lamp-fault',
  'truck',
] as const;
export type AssetStateName = (typeof ASSET_STATES)[number];
export const STATE_COUNT = ASSET_STATES.length;
export const STATE: { [K in AssetStateName]: number } = Object.fromEntries(ASSET_STATES.map((s, i) => [s, i])) as never;

/** 0 fine … 3 needs someone now; offline is kept apart (drawn grey, counted as a problem). */
export const SEVERITY: readonly number[] = ASSET_STATES.map((s) => {
  switch (s) {
    case 'level-mid':
      return 1;
    case 'level-high':
    case 'warn':
    case 'offline':
      return 2;
    case 'level-full':
    case 'alarm':
    case 'lamp-fault':
      return 3;
    default:
      return 0;
  }
});

/** Colours for a dark wall-screen map (colour-blind-safe enough: green/yellow/orange/red plus grey). */
export const STATE_COLOURS: { [K in AssetStateName]: string } = {
  unknown: '#7b8794',
  offline: '#5f6670',
  'level-low': '#2fbf71',
  'level-mid': '#f2d13d',
  'level-high': '#f28c28',
  'level-full': '#e5383b',
  ok: '#2fbf71',
  warn: '#f28c28',
  alarm: '#e5383b',
  'lamp-on': '#fff1b8', // pale warm light, apart from the fill yellow
  'lamp-off': '#4f6d9a',
  'lamp-fault': '#e5383b',
  truck: '#3da5ff',
};
export const SEVERITY_COLOURS = ['#2fbf71', '#f2d13d', '#f28c28', '#e5383b'] as const;

export const KIND_CODES: readonly DeviceKind[] = ['bin', 'toilet', 'septic', 'streetlight', 'truck'];
export const KIND_CODE: Record<DeviceKind, number> = { bin: 0, toilet: 1, septic: 2, streetlight: 3, truck: 4 };

export interface OpenAlarmHint {
  severity: string;
}

const num = (v: ReadingValues, k: string): number | undefined => (typeof v[k] === 'number' ? (v[k] as number) : undefined);

function level(pct: number | undefined, clear: number, full: number, overflow: number): number {
  if (pct === undefined) return STATE.unknown;
  if (pct >= overflow) return STATE['level-full'];
  if (pct >= full) return STATE['level-high'];
  if (pct > clear) return STATE['level-mid'];
  return STATE['level-low'];
}

/** The state an asset is drawn in. */
export function classifyAsset(kind: DeviceKind, values: ReadingValues | null, online: boolean, openAlarm?: OpenAlarmHint | null): number {
  if (!online) return STATE.offline;
  if (kind === 'truck') return STATE.truck;
  if (openAlarm) return kind === 'streetlight' ? STATE['lamp-fault'] : STATE.alarm;
  if (!values) return STATE.unknown;
  switch (kind) {
    case 'bin': {
      const r = RULE_DEFAULTS.bin;
      const temp = num(values, 'tempC');
      if (temp !== undefined && temp >= r.fireTempC) return STATE.alarm;
      return level(num(values, 'fillPct'), r.clearPct, r.fullPct, r.overflowPct);
    }
    case 'septic': {
      const r = RULE_DEFAULTS.septic;
      if ((num(values, 'h2sPpm') ?? 0) >= r.h2sPpm || (num(values, 'ch4PctLel') ?? 0) >= r.ch4PctLel) return STATE.alarm;
      return level(num(values, 'levelPct'), r.clearPct, r.fullPct, 100);
    }
    case 'toilet': {
      const r = RULE_DEFAULTS.toilet;
      if (values.waterLeak === true || (num(values, 'nh3Ppm') ?? 0) >= r.nh3Ppm || (num(values, 'h2sPpm') ?? 0) >= r.h2sPpm) return STATE.alarm;
      const paper = num(values, 'paperPct');
      const soap = num(values, 'soapPct');
      if ((paper !== undefined && paper < r.paperLowPct) || (soap !== undefined && soap < r.soapLowPct)) return STATE.warn;
      if ((num(values, 'visits') ?? 0) >= r.visitsPerCleaning) return STATE.warn;
      return STATE.ok;
    }
    case 'streetlight': {
      const r = RULE_DEFAULTS.streetlight;
      const volts = num(values, 'voltageV');
      if (volts !== undefined && volts < r.noSupplyBelowV) return STATE['lamp-fault'];
      if (values.lampOn === true) {
        const watts = num(values, 'powerW');
        if (watts !== undefined && watts < r.noPowerBelowW) return STATE['lamp-fault'];
        return STATE['lamp-on'];
      }
      if (values.lampOn === false) return STATE['lamp-off'];
      return STATE.unknown;
    }
  }
}
