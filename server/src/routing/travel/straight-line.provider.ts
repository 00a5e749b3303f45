import type { TravelSource } from '@sanitation/contracts';
import { haversineM } from '../../common/geo.js';
import { travelOptions, type TravelOptions } from './travel.defaults.js';
import type { LonLat, TravelMatrix, TravelTimeProvider } from './travel-time.provider.js';

/** Road distance estimate: great-circle distance × detour factor, metres. */
export function estimateDistanceM(a: LonLat, b: LonLat, detour: number): number {
  return haversineM(a, b) * detour;
}

/** Seconds to drive `distanceM` at `kmh`. */
export function secondsAt(distanceM: number, kmh: number): number {
  return distanceM / (kmh / 3.6);
}

/**
 * Where there is no street network: haversine × detour factor at an average speed, and a straight
 * segment as the path. Every point counts as snapped (there is nothing to snap to, nothing failed).
 */
export class StraightLineProvider implements TravelTimeProvider {
  readonly source: TravelSource = 'straight-line';
  readonly options: TravelOptions;

  constructor(overrides: Partial<TravelOptions> = {}) {
    this.options = travelOptions(overrides);
  }

  matrix(points: readonly LonLat[]): Promise<TravelMatrix> {
    return Promise.resolve(straightLineMatrix(points, this.options, this.source));
  }

  path(from: LonLat, to: LonLat): Promise<[number, number][]> {
    return Promise.resolve([
      [from.lon, from.lat],
      [to.lon, to.lat],
    ]);
  }
}

export function straightLineMatrix(points: readonly LonLat[], options: TravelOptions, source: TravelSource): TravelMatrix {
  const n = points.length;
  const distanceM = new Float64Array(n * n);
  const durationS = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = estimateDistanceM(points[i]!, points[j]!, options.DETOUR_FACTOR);
      const t = secondsAt(d, options.AVERAGE_KMH);
      distanceM[i * n + j] = distanceM[j * n + i] = d;
      durationS[i * n + j] = durationS[j * n + i] = t;
    }
  }
  return { size: n, distanceM, durationS, snapped: new Array<boolean>(n).fill(true), source };
}
