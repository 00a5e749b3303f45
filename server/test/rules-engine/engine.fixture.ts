import type { INestApplication } from '@nestjs/common';
import type { AcceptedReading, DeviceKind, LoginResponse, ReadingValues } from '@sanitation/contracts';
import { INCIDENT_SINK, type IncidentSink } from '../../src/alarms/incident-sink.js';
import { createServerApp } from '../../src/app.js';
import type { ManualClock } from '../../src/clock/clock.js';
import { parseServerConfig } from '../../src/config/server.config.js';
import { DomainEvents, type DomainEvent } from '../../src/events/domain-events.js';
import { ReadingsBus } from '../../src/ingest/readings.bus.js';
import { RulesEngine } from '../../src/rules-engine/rules-engine.service.js';
import { call, INTERNAL_TOKEN } from '../support/app.js';
import { TEST_INFLUX_URL } from '../support/databases.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
const ADMIN_PASSWORD = 'engine-admin-password';

export interface SinkCall {
  op: 'raise' | 'clear' | 'unsafe';
  subject: string;
  cause?: string;
  unsafe?: boolean;
}

export interface EngineApp {
  app: INestApplication;
  url: string;
  token: string;
  engine: RulesEngine;
  /** Every call the engine made to the (real) incident sink. */
  calls: SinkCall[];
  events: DomainEvent[];
  publish(readings: AcceptedReading[]): Promise<void>;
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/**
 * A real server on PGlite in `dataDir` (kept across close, so a second app is a restart), the
 * scheduler timer off (tests run the periodic checks by hand at the ManualClock's time), and the
 * real incident sink wrapped to record what the engine asked of it.
 */
export async function startEngineApp(dataDir: string, clock: ManualClock): Promise<EngineApp> {
  const config = parseServerConfig({
    INTERNAL_TOKEN,
    DATA_DIR: dataDir,
    INFLUX_URL: TEST_INFLUX_URL,
    LOG_LEVEL: 'silent',
    GATEWAY_MQTT_URLS: 'mqtt://127.0.0.1:1',
    ADMIN_PASSWORD,
    SCHEDULER_TICK_MS: '0',
  });
  const app = await createServerApp(config, { clock });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const token = (await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
  const engine = app.get(RulesEngine);
  const real = app.get<IncidentSink>(INCIDENT_SINK, { strict: false });
  const calls: SinkCall[] = [];
  engine.useSink({
    raise: (r) => (calls.push({ op: 'raise', subject: r.subjectId, cause: r.cause }), real.raise(r)),
    clear: (s, c, at, why) => (calls.push({ op: 'clear', subject: s, cause: c }), real.clear(s, c, at, why)),
    setUnsafe: (s, u, at, why) => (calls.push({ op: 'unsafe', subject: s, unsafe: u }), real.setUnsafe(s, u, at, why)),
  });
  const events: DomainEvent[] = [];
  app.get(DomainEvents).events$.subscribe((e) => events.push(e));
  const bus = app.get(ReadingsBus);
  return {
    app,
    url,
    token,
    engine,
    calls,
    events,
    publish: async (readings) => {
      bus.publish(readings);
      await engine.idle();
    },
    api: (method, path, body) => call(url, method, path, { token, body }),
    close: () => app.close(),
  };
}

let seqs = new Map<string, number>();
export function resetSeqs(): void {
  seqs = new Map();
}

/** A reading as the gateway hands it over; seq counts up per device. */
export function reading(deviceId: string, kind: DeviceKind, ts: number, values: ReadingValues, seq?: number): AcceptedReading {
  const next = seq ?? (seqs.get(deviceId) ?? 0) + 1;
  seqs.set(deviceId, Math.max(next, seqs.get(deviceId) ?? 0));
  return { deviceId, kind, ts, seq: next, values, receivedAt: ts };
}

export const raises = (calls: SinkCall[], subject: string, cause?: string) =>
  calls.filter((c) => c.op === 'raise' && c.subject === subject && (cause === undefined || c.cause === cause));
export const raisesOf = (calls: SinkCall[], cause: string) => calls.filter((c) => c.op === 'raise' && c.cause === cause);

/** A lamp at night as a dead feeder shows it. */
export const deadLamp = { lampOn: false, dimPct: 100, powerW: 0, voltageV: 0, currentA: 0 };
/** A healthy 100 W lamp, lit (simulator: rated × dim + 3 W). */
export const litLamp = (dimPct = 100) => ({ lampOn: true, dimPct, powerW: dimPct + 3, voltageV: 221, currentA: (dimPct + 3) / (221 * 0.95) });
