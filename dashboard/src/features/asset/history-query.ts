import { HISTORY_MAX_POINTS, historyWindowMs, type DeviceHistoryResponse, type DeviceKind } from '@sanitation/contracts';

export const HISTORY_RANGES = { '6h': 6 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 86_400_000 } as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;

/** The fields worth a chart per kind (the rest are in the live values). */
export const CHART_FIELDS: Record<DeviceKind, readonly string[]> = {
  bin: ['fillPct', 'tempC'],
  septic: ['levelPct', 'h2sPpm', 'ch4PctLel'],
  streetlight: ['powerW', 'voltageV', 'dimPct'],
  toilet: ['nh3Ppm', 'h2sPpm', 'visits'],
  truck: ['speedKmh', 'loadKg'],
};

/** Candidate windows, finest first. */
const WINDOWS = ['1m', '2m', '5m', '10m', '15m', '30m', '1h', '2h', '3h', '6h', '12h', '1d'] as const;
/** About one point per two pixels of a panel-wide chart: finer adds nothing visible. */
export const TARGET_POINTS = 400;

/** The finest window that keeps the answer near `target` points (and always within the server's limit). */
export function chooseWindow(rangeMs: number, target = TARGET_POINTS): string {
  const limit = Math.min(target, HISTORY_MAX_POINTS);
  for (const w of WINDOWS) if (rangeMs / historyWindowMs(w)! <= limit) return w;
  return '1d';
}

export interface HistoryRequest {
  from: string;
  to: string;
  window: string;
  fields: string;
}

/** GET /api/devices/:id/history query for the last `range` before `now`. */
export function historyQuery(kind: DeviceKind, range: HistoryRange, now: number): HistoryRequest {
  const span = HISTORY_RANGES[range];
  return {
    from: new Date(now - span).toISOString(),
    to: new Date(now).toISOString(),
    window: chooseWindow(span),
    fields: CHART_FIELDS[kind].join(','),
  };
}

/** uPlot's columnar data for one field: [unix seconds[], values[]] (null = gap; booleans as 0/1). */
export function seriesOf(res: Pick<DeviceHistoryResponse, 'points'>, field: string): [number[], (number | null)[]] {
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (const p of res.points) {
    const v = p.values[field];
    xs.push(Date.parse(p.time) / 1000);
    ys.push(typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : null);
  }
  return [xs, ys];
}

/** Units for labels and live values. */
export const FIELD_UNITS: Record<string, string> = {
  fillPct: '%',
  tempC: '°C',
  batteryPct: '%',
  levelPct: '%',
  h2sPpm: 'ppm',
  ch4PctLel: '% LEL',
  nh3Ppm: 'ppm',
  paperPct: '%',
  soapPct: '%',
  dimPct: '%',
  powerW: 'W',
  voltageV: 'V',
  currentA: 'A',
  energyWh: 'Wh',
  speedKmh: 'km/h',
  headingDeg: '°',
  loadKg: 'kg',
};

/** A live value as text: numbers rounded to what a sensor can tell, booleans as yes/no keys. */
export function formatValue(field: string, value: number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'boolean') return value ? '✔' : '✘';
  const digits = field === 'lat' || field === 'lon' ? 5 : Math.abs(value) >= 100 ? 0 : 1;
  const unit = FIELD_UNITS[field];
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}
