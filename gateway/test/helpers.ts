import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeviceCredential, DeviceKind } from '@sanitation/contracts';
import { generateDeviceSecret, hashDeviceSecret } from '@sanitation/contracts/credentials';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import { parseGatewayConfig, type GatewayConfig } from '../src/config/gateway.config.js';
import { startGateway, type RunningGateway } from '../src/gateway.js';

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
    gatewayTestLog: string;
  }
}

/** The orchestrator's InfluxDB, else the dev service (see infra/vitest.test-env.mjs). */
export const INFLUX_URL = inject('influxUrl');
export const INTERNAL_TOKEN = 'test-internal-token-0123456789';

export interface TestDevice {
  deviceId: string;
  kind: DeviceKind;
  zone: string | null;
  secret: string;
}

/**
 * Stand-in for the server's credential endpoint (the real server is another workspace; the
 * e2e suite uses it). Incremental: `since=<n>` returns devices changed after version n.
 */
export class CredentialStub {
  private server!: Server;
  private version = 0;
  private readonly devices = new Map<string, DeviceCredential & { version: number }>();
  url = '';
  requests = 0;
  down = false;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests += 1;
      const url = new URL(req.url ?? '/', 'http://x');
      if (this.down) return void res.writeHead(503).end();
      if (url.pathname !== '/api/internal/credentials') return void res.writeHead(404).end();
      if (req.headers.authorization !== `Bearer ${INTERNAL_TOKEN}`) return void res.writeHead(401).end();
      const since = url.searchParams.get('since');
      const all = [...this.devices.values()];
      const list = since === null ? all : all.filter((d) => d.version > Number(since));
      const body = {
        cursor: String(this.version),
        full: since === null,
        devices: list.map(({ version: _v, ...d }) => d),
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  add(deviceId: string, kind: DeviceKind, zone: string | null = 'zone-a'): TestDevice {
    const secret = generateDeviceSecret();
    this.devices.set(deviceId, { deviceId, kind, zone, secretHash: hashDeviceSecret(secret), revoked: false, version: ++this.version });
    return { deviceId, kind, zone, secret };
  }

  revoke(deviceId: string): void {
    const d = this.devices.get(deviceId)!;
    d.revoked = true;
    d.version = ++this.version;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** `epoch: null` returns times as RFC 3339 strings, exact to the nanosecond (epoch numbers above 2^53 are not). */
export async function influxQuery(db: string, q: string, epoch: 'ns' | null = 'ns'): Promise<any> {
  const res = await fetch(`${INFLUX_URL}/query?${new URLSearchParams({ db, q, ...(epoch ? { epoch } : {}) })}`, { method: 'POST' });
  if (!res.ok) throw new Error(`influx query failed: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Rows of `SELECT * FROM <kind> WHERE deviceId = '<id>'` as objects. */
export async function influxRows(db: string, kind: string, deviceId: string): Promise<Record<string, unknown>[]> {
  const body = await influxQuery(db, `SELECT * FROM "${kind}" WHERE "deviceId" = '${deviceId}'`);
  const series = body.results?.[0]?.series?.[0];
  if (!series) return [];
  return series.values.map((v: unknown[]) => Object.fromEntries(series.columns.map((c: string, i: number) => [c, v[i]])));
}

export async function dropDatabase(db: string): Promise<void> {
  await influxQuery(db, `DROP DATABASE "${db}"`).catch(() => {});
}

export function uniqueDb(prefix: string): string {
  return `gw_${prefix}_${process.pid}_${Date.now().toString(36)}`;
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `gw-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(over: Record<string, string>): GatewayConfig {
  return parseGatewayConfig({
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: '0',
    MQTT_WS_PORT: '0',
    GATEWAY_HTTP_PORT: '0',
    GATEWAY_ID: 'gw-test',
    INTERNAL_TOKEN,
    CREDENTIAL_SYNC_MS: '200',
    INFLUX_URL,
    LOG_LEVEL: 'silent',
    ...over,
  });
}

/** vitest transforms src/ for this thread only; the InfluxDB writer's worker thread needs a loader. */
export const TS_WORKER_EXEC_ARGV = ['--import', fileURLToPath(new URL('./support/ts-loader.mjs', import.meta.url))];

export async function startTestGateway(config: GatewayConfig): Promise<RunningGateway> {
  return startGateway(config, { logger: pino({ level: inject('gatewayTestLog') }), influxWorkerExecArgv: TS_WORKER_EXEC_ARGV });
}

/** A running gateway of one test file, with its credential stub, InfluxDB database and spool. */
export interface GatewayFixture {
  db: string;
  spoolDir: string;
  stub: CredentialStub;
  gw: RunningGateway;
}

/**
 * The common setup of the gateway suites, registered as beforeAll/afterAll of the calling
 * describe(): a credential stub, a fresh database and spool directory, and a gateway using them
 * (`env` adds settings). `devices` runs before the gateway starts, so its first credential sync
 * already knows them. `stub` and `gw` are set once beforeAll ran.
 */
export function useTestGateway(
  name: string,
  opts: { env?: Record<string, string>; devices?: (stub: CredentialStub) => void } = {},
): GatewayFixture {
  const spool = tempDir(name);
  const fx = { db: uniqueDb(name), spoolDir: spool.dir } as GatewayFixture;
  beforeAll(async () => {
    fx.stub = await new CredentialStub().start();
    opts.devices?.(fx.stub);
    fx.gw = await startTestGateway(testConfig({ SERVER_URL: fx.stub.url, INFLUX_DB: fx.db, SPOOL_DIR: fx.spoolDir, ...opts.env }));
  });
  afterAll(async () => {
    await fx.gw?.stop();
    await fx.stub?.stop();
    await dropDatabase(fx.db);
    spool.cleanup();
  });
  return fx;
}

export function connect(port: number, opts: IClientOptions, protocol: 'mqtt' | 'ws' = 'mqtt'): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`${protocol}://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

export function deviceClient(port: number, d: TestDevice, extra: IClientOptions = {}, protocol: 'mqtt' | 'ws' = 'mqtt') {
  return connect(port, { username: d.deviceId, password: d.secret, clientId: `c-${d.deviceId}`, ...extra }, protocol);
}

export function publish(client: MqttClient, topic: string, payload: string | Buffer, qos: 0 | 1 = 1): Promise<void> {
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos }, (err) => (err ? reject(err) : resolve())));
}

/** Polls until `fn` returns a truthy value (asserting outcomes, not timings). */
export async function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 15_000, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function getStats(httpPort: number): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/stats`);
  return res.json();
}

/**
 * TCP pass-through in front of the real influxd that can simulate an outage: while `down`, new
 * connections are reset and open ones are cut. The gateway sees exactly what a dead InfluxDB
 * looks like (ECONNRESET/ECONNREFUSED-style errors), the data still goes to the real server.
 */
export class InfluxOutageProxy {
  private server!: import('node:net').Server;
  private readonly open = new Set<import('node:net').Socket>();
  down = false;
  url = '';

  async start(): Promise<this> {
    const net = await import('node:net');
    const target = new URL(INFLUX_URL);
    this.server = net.createServer((client) => {
      if (this.down) {
        client.resetAndDestroy();
        return;
      }
      const upstream = net.connect(Number(target.port || 80), target.hostname);
      this.open.add(client);
      this.open.add(upstream);
      const cleanup = () => {
        client.destroy();
        upstream.destroy();
        this.open.delete(client);
        this.open.delete(upstream);
      };
      client.on('error', cleanup).on('close', cleanup);
      upstream.on('error', cleanup).on('close', cleanup);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  setDown(down: boolean): void {
    this.down = down;
    if (down) for (const s of this.open) s.destroy();
  }

  async stop(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Distinct `seq` values stored for a device, and the number of points. */
export async function storedSeqs(db: string, kind: string, deviceId: string): Promise<{ seqs: Set<number>; points: number }> {
  const rows = await influxRows(db, kind, deviceId);
  return { seqs: new Set(rows.map((r) => r.seq as number)), points: rows.length };
}
