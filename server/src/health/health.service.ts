import { Inject, Injectable } from '@nestjs/common';
import type { HealthResponse } from '@sanitation/contracts';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';
import { DATABASE, type Database } from '../database/database.js';
import { ReadingsConsumer } from '../ingest/readings.consumer.js';

type Dependency = HealthResponse['dependencies'][string];
const PROBE_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly consumer: ReadingsConsumer,
  ) {}

  async check(): Promise<HealthResponse> {
    const [database, influxdb] = await Promise.all([this.database(), this.influx()]);
    const dependencies: Record<string, Dependency> = { database, influxdb, mqtt: this.mqtt() };
    const ok = Object.values(dependencies).every((d) => d.status === 'ok');
    return { status: ok ? 'ok' : 'degraded', dependencies };
  }

  private async database(): Promise<Dependency> {
    try {
      await withTimeout(this.db.query('SELECT 1'), PROBE_TIMEOUT_MS, 'database');
      return { status: 'ok', detail: this.db.driver === 'pg' ? 'postgresql' : 'pglite' };
    } catch (err) {
      return { status: 'down', detail: (err as Error).message };
    }
  }

  /** `/ping` answers 204 on InfluxDB 1.x and 2.x without credentials. */
  private async influx(): Promise<Dependency> {
    const url = new URL('/ping', this.config.INFLUX_URL).toString();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      const version = res.headers.get('x-influxdb-version');
      return res.ok
        ? { status: 'ok', detail: `${this.config.INFLUX_URL}${version ? ` (InfluxDB ${version})` : ''}` }
        : { status: 'down', detail: `${url} answered ${res.status}` };
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      return { status: 'down', detail: `${url}: ${cause ?? (err as Error).message}` };
    }
  }

  /** The readings consumer's link to each gateway broker. */
  private mqtt(): Dependency {
    const links = this.consumer.connections();
    const down = links.filter((l) => !l.connected);
    const detail = links.map((l) => `${l.url} ${l.connected ? 'connected' : `disconnected${l.lastError ? ` (${l.lastError})` : ''}`}`).join('; ');
    return { status: down.length ? 'down' : 'ok', detail };
  }
}
