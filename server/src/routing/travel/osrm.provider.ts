import type { TravelSource } from '@sanitation/contracts';
import { z } from 'zod';
import { estimateDistanceM, secondsAt } from './straight-line.provider.js';
import { travelOptions, type TravelOptions } from './travel.defaults.js';
import { TravelException, TravelExceptionCode } from './travel.exception.js';
import type { LonLat, TravelMatrix, TravelTimeProvider } from './travel-time.provider.js';

const waypoint = z.object({ distance: z.number().nullish() }).loose();
const tableReply = z.object({
  code: z.literal('Ok'),
  durations: z.array(z.array(z.number().nullable())),
  distances: z.array(z.array(z.number().nullable())),
  sources: z.array(waypoint).optional(),
});
const routeReply = z.object({
  code: z.literal('Ok'),
  routes: z
    .array(z.object({ geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()]).rest(z.number())) }) }).loose())
    .min(1),
});
const errorReply = z.object({ code: z.string(), message: z.string().optional() }).loose();

/** OSRM's default `--max-table-size`: sources × destinations per request stays within its square. */
const MAX_TABLE_CELLS = 100 * 100;

/**
 * An OSRM server (`osrm-routed`, car profile): `/table` for the matrix, `/route` for the path.
 * Unreachable pairs (null in the table) get the straight-line × detour estimate; a point OSRM had to
 * move farther than MAX_SNAP_M to reach its network is reported `snapped: false`. Server failures
 * (timeout, HTTP error, an error `code`, an unreadable body) raise ROUTING_SERVER_FAILED.
 */
export class OsrmProvider implements TravelTimeProvider {
  readonly source: TravelSource = 'osrm';
  readonly options: TravelOptions;
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    overrides: Partial<TravelOptions> = {},
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.options = travelOptions(overrides);
  }

  async matrix(points: readonly LonLat[]): Promise<TravelMatrix> {
    const n = points.length;
    const distanceM = new Float64Array(n * n);
    const durationS = new Float64Array(n * n);
    const snapped = new Array<boolean>(n).fill(true);
    if (n < 2) return { size: n, distanceM, durationS, snapped, source: this.source };
    const coords = points.map(lonLat).join(';');
    const all = Array.from({ length: n }, (_, j) => j).join(';');
    const rowsPerCall = Math.max(1, Math.floor(MAX_TABLE_CELLS / n));
    for (let first = 0; first < n; first += rowsPerCall) {
      const rows = Array.from({ length: Math.min(rowsPerCall, n - first) }, (_, k) => first + k);
      const query = rows.length === n ? '' : `&sources=${rows.join(';')}&destinations=${all}`;
      const reply = tableReply.safeParse(await this.get(`/table/v1/driving/${coords}?annotations=duration,distance${query}`));
      if (!reply.success || reply.data.durations.length !== rows.length || reply.data.distances.length !== rows.length) {
        throw this.failed('/table', 'an unreadable table (expected durations and distances for every source)');
      }
      rows.forEach((i, r) => {
        const snapM = reply.data.sources?.[r]?.distance;
        if (typeof snapM === 'number' && snapM > this.options.MAX_SNAP_M) snapped[i] = false;
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          const t = reply.data.durations[r]![j];
          const d = reply.data.distances[r]![j];
          if (typeof t === 'number' && typeof d === 'number') {
            durationS[i * n + j] = t;
            distanceM[i * n + j] = d;
          } else {
            const est = estimateDistanceM(points[i]!, points[j]!, this.options.DETOUR_FACTOR);
            distanceM[i * n + j] = est;
            durationS[i * n + j] = secondsAt(est, this.options.AVERAGE_KMH);
          }
        }
      });
    }
    return { size: n, distanceM, durationS, snapped, source: this.source };
  }

  async path(from: LonLat, to: LonLat): Promise<[number, number][]> {
    const body = await this.get(`/route/v1/driving/${lonLat(from)};${lonLat(to)}?overview=full&geometries=geojson`, ['NoRoute']);
    if (errorReply.safeParse(body).data?.code === 'NoRoute') {
      return [
        [from.lon, from.lat],
        [to.lon, to.lat],
      ];
    }
    const reply = routeReply.safeParse(body);
    if (!reply.success) throw this.failed('/route', 'an unreadable route (expected routes[0].geometry as a GeoJSON LineString)');
    return reply.data.routes[0]!.geometry.coordinates.map((c) => [c[0]!, c[1]!]);
  }

  /** GET a JSON body; `accepted` error codes are returned instead of thrown. */
  private async get(pathAndQuery: string, accepted: string[] = []): Promise<unknown> {
    const service = pathAndQuery.slice(0, pathAndQuery.indexOf('/', 1));
    let response: Response;
    try {
      response = await this.fetchFn(`${this.baseUrl}${pathAndQuery}`, { signal: AbortSignal.timeout(this.options.OSRM_TIMEOUT_MS) });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw this.failed(service, timedOut ? `no answer within ${this.options.OSRM_TIMEOUT_MS} ms` : `unreachable (${err instanceof Error ? err.message : String(err)})`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw this.failed(service, `HTTP ${response.status} with a body that is not JSON`);
    }
    const error = errorReply.safeParse(body);
    if (!response.ok || (error.success && error.data.code !== 'Ok')) {
      const code = error.success ? error.data.code : null;
      if (code !== null && accepted.includes(code)) return body;
      throw this.failed(service, `HTTP ${response.status}${code ? ` ${code}` : ''}${error.data?.message ? `: ${error.data.message}` : ''}`);
    }
    return body;
  }

  private failed(service: string, what: string): TravelException {
    return new TravelException(TravelExceptionCode.ROUTING_SERVER_FAILED, `OSRM ${service} at ${this.baseUrl}: ${what}`);
  }
}

const lonLat = (p: LonLat): string => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`;
