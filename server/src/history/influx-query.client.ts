import { Inject, Injectable } from '@nestjs/common';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';
import { HistoryException, HistoryExceptionCode } from './history.exception.js';

/** One InfluxQL series as /query returns it. */
export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

interface QueryBody {
  error?: string;
  results?: { statement_id?: number; series?: InfluxSeries[]; error?: string }[];
}

/** Longest a history query may take before the API answers 503, ms. */
const QUERY_TIMEOUT_MS = 10_000;

/**
 * Reads from InfluxDB with InfluxQL over `/query` (epoch=ms). InfluxDB 1.x: database INFLUX_DB,
 * optional INFLUX_USER/INFLUX_PASSWORD. InfluxDB 2.x (INFLUX_API=2): its v1-compatibility
 * `/query` with `Authorization: Token`, which needs a DBRP mapping of INFLUX_DB to the bucket.
 */
@Injectable()
export class InfluxQueryClient {
  constructor(@Inject(SERVER_CONFIG) private readonly config: ServerConfig) {}

  /** Quotes an InfluxQL identifier ("measurement", "field"). */
  static ident(name: string): string {
    return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }

  /** Quotes an InfluxQL string literal ('tag value'). */
  static literal(value: string): string {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }

  /** `"rp"."measurement"`, or just the measurement when no INFLUX_RP is set (the default RP). */
  measurement(name: string): string {
    const m = InfluxQueryClient.ident(name);
    return this.config.INFLUX_RP ? `${InfluxQueryClient.ident(this.config.INFLUX_RP)}.${m}` : m;
  }

  /** Runs one SELECT; returns its series (empty when nothing matched). */
  async select(q: string): Promise<InfluxSeries[]> {
    const params = new URLSearchParams({ db: this.config.INFLUX_DB, q, epoch: 'ms' });
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.config.INFLUX_API === '2') headers.authorization = `Token ${this.config.INFLUX_TOKEN ?? ''}`;
    else if (this.config.INFLUX_USER) {
      params.set('u', this.config.INFLUX_USER);
      params.set('p', this.config.INFLUX_PASSWORD ?? '');
    }
    const url = new URL('/query', this.config.INFLUX_URL);
    url.search = params.toString();
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      throw new HistoryException(HistoryExceptionCode.INFLUX_UNAVAILABLE, `InfluxDB at ${this.config.INFLUX_URL} did not answer: ${cause}`);
    }
    const body = (await res.json().catch(() => ({}))) as QueryBody;
    const error = body.error ?? body.results?.find((r) => r.error)?.error;
    // An unknown database is "no history yet", not a failure.
    if (error && /database not found/.test(error)) return [];
    if (!res.ok || error) {
      throw new HistoryException(HistoryExceptionCode.INFLUX_ERROR, `InfluxDB answered ${res.status}: ${error ?? 'no error text'}`);
    }
    return body.results?.[0]?.series ?? [];
  }
}
