/**
 * Runs the whole system for end-to-end tests: its own influxd (so a test can stop it), the server
 * and the gateway as separate processes exactly as `npm start` runs them, on free ports in a
 * scratch folder. Everything is torn down by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import { startInflux, waitForPort } from '../scripts/services.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => res(port));
    });
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (err) {
      lastErr = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
}
export { waitFor };

interface Influx {
  url: string;
  pid: number | undefined;
  stop(): void;
}

/** The server's simulated clock: now = start + (wall − anchor) × speed (CLOCK_START/ANCHOR/SPEED). */
export interface StackClock {
  /** Sim epoch ms at `anchor`. */
  start: number;
  /** Wall epoch ms. */
  anchor: number;
  /** Integer sim ms per wall ms. */
  speed: number;
}

export interface StackOptions {
  influxDb?: string;
  /** Server and gateway LOG_LEVEL (default warn); their logs are kept under test-artifacts/e2e. */
  logLevel?: string;
  /**
   * Run the server on simulated time. `anchor` defaults to now + `leadMs` (default 0): give the
   * simulator the same three values (`start`, `speed`, `clockAnchor: anchor`) and both share one
   * timeline; a lead leaves time to provision before sim time reaches `start`.
   */
  clock?: { start: number; speed: number; anchor?: number; leadMs?: number };
}

export interface Stack {
  dir: string;
  /** The server's clock settings, when it runs on simulated time. */
  clock: StackClock | null;
  /** Sim time now by the server's clock (wall time without one). */
  simNow(): number;
  serverUrl: string;
  mqttUrl: string;
  mqttPort: number;
  gatewayHttpUrl: string;
  influxUrl: string;
  influxDb: string;
  adminPassword: string;
  internalToken: string;
  /** Operator bearer token for the admin. */
  token(): Promise<string>;
  /** How a simulator reaches this stack: broker, API, admin login, a credentials file, the clock's anchor. */
  simConnection(): SimConnection;
  influxQuery(q: string): Promise<InfluxSeries[]>;
  gatewayStats(): Promise<GatewayStats>;
  stopInflux(): Promise<void>;
  startInflux(): Promise<void>;
  killGateway(signal?: NodeJS.Signals): Promise<void>;
  startGateway(): Promise<void>;
  /** Kills the server (default SIGKILL) and waits for it to exit. */
  killServer(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again: same data directory, ports and clock values (the same timeline). */
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

export interface SimConnection {
  mqttUrl: string;
  serverUrl: string;
  adminPassword: string;
  credentialsFile: string;
  clockAnchor?: number;
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface GatewayStats {
  accepted: number;
  duplicates: number;
  rejected: { total: number; byReason: Record<string, number>; byDevice: Record<string, Record<string, number>> };
  [key: string]: unknown;
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => child.once('exit', () => res()));
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'sanitation-e2e-'));
  const influxPort = await freePort();
  const [httpPort, mqttPort, wsPort, gwHttpPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const adminPassword = 'e2e-admin-password';
  const internalToken = 'e2e-internal-token-0123456789';
  const influxDb = opts.influxDb ?? 'e2e';
  let influx: Influx = await startInflux({ dir: join(dir, 'influx'), port: influxPort });
  const influxEnv = { INFLUX_API: '1', INFLUX_URL: influx.url, INFLUX_DB: influxDb, LOG_LEVEL: opts.logLevel ?? 'warn' };
  const serverUrl = `http://127.0.0.1:${httpPort}`;

  const spawnNode = (name: string, script: string, env: Record<string, string>): ChildProcess => {
    const out = openSync(join(dir, `${name}.log`), 'a');
    return spawn(process.execPath, [join(ROOT, script)], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', ...influxEnv, ...env },
      stdio: ['ignore', out, out],
    });
  };

  const clock: StackClock | null = opts.clock
    ? { start: opts.clock.start, speed: opts.clock.speed, anchor: opts.clock.anchor ?? Date.now() + (opts.clock.leadMs ?? 0) }
    : null;
  const serverEnv = {
    PORT: String(httpPort),
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'server-data'),
    ADMIN_PASSWORD: adminPassword,
    INTERNAL_TOKEN: internalToken,
    GATEWAY_MQTT_URLS: `mqtt://127.0.0.1:${mqttPort}`,
    // The built dashboard, served on the API's port as `npm start` does (browser tests open it).
    DASHBOARD_DIR: join(ROOT, 'dashboard', 'dist'),
    ...(clock ? { CLOCK_START: String(clock.start), CLOCK_ANCHOR: String(clock.anchor), CLOCK_SPEED: String(clock.speed) } : {}),
  };
  let server: ChildProcess | undefined = spawnNode('server', 'server/dist/main.js', serverEnv);
  const serverUp = () => waitFor('server /api/health', async () => ((await fetch(`${serverUrl}/api/health`)).status < 500 ? true : undefined), 60_000);
  const gatewayEnv = {
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: String(mqttPort),
    MQTT_WS_PORT: String(wsPort),
    GATEWAY_HTTP_PORT: String(gwHttpPort),
    GATEWAY_ID: 'e2e-gw',
    SERVER_URL: serverUrl,
    INTERNAL_TOKEN: internalToken,
    SPOOL_DIR: join(dir, 'spool'),
  };
  let gateway: ChildProcess | undefined;
  const gatewayHttpUrl = `http://127.0.0.1:${gwHttpPort}`;

  const stack: Stack = {
    dir,
    clock,
    simNow: () => (clock ? clock.start + (Date.now() - clock.anchor) * clock.speed : Date.now()),
    serverUrl,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    mqttPort,
    gatewayHttpUrl,
    get influxUrl() {
      return influx.url;
    },
    influxDb,
    adminPassword,
    internalToken,
    simConnection: () => ({
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      serverUrl,
      adminPassword,
      credentialsFile: join(dir, 'sim-credentials.json'),
      ...(clock ? { clockAnchor: clock.anchor } : {}),
    }),
    async token() {
      // A loaded server may drop a connection now and then: a login is worth a few tries.
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await fetch(`${serverUrl}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'admin', password: adminPassword }),
            signal: AbortSignal.timeout(30_000),
          });
          if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
          return ((await res.json()) as { token: string }).token;
        } catch (err) {
          if (attempt >= 3 || /login failed/.test(String(err))) throw err;
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
    },
    async influxQuery(q: string) {
      const res = await fetch(`${influx.url}/query?${new URLSearchParams({ db: influxDb, q })}`);
      const body = (await res.json()) as { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
      const err = body.error ?? body.results?.[0]?.error;
      if (err) throw new Error(`InfluxQL "${q}": ${err}`);
      return body.results?.[0]?.series ?? [];
    },
    async gatewayStats() {
      const res = await fetch(`${gatewayHttpUrl}/stats`);
      return (await res.json()) as GatewayStats;
    },
    async stopInflux() {
      influx.stop();
      await waitFor('influxd to stop', async () => {
        try {
          await fetch(`${influx.url}/ping`);
          return undefined;
        } catch {
          return true;
        }
      }, 30_000);
    },
    async startInflux() {
      influx = await startInflux({ dir: join(dir, 'influx'), port: influxPort });
    },
    async killGateway(signal: NodeJS.Signals = 'SIGKILL') {
      if (!gateway) return;
      gateway.kill(signal);
      await waitExit(gateway);
      gateway = undefined;
    },
    async startGateway() {
      gateway = spawnNode('gateway', 'gateway/dist/main.js', gatewayEnv);
      await waitForPort(mqttPort, '127.0.0.1', 30_000);
      await waitFor('gateway /healthz', async () => ((await fetch(`${gatewayHttpUrl}/healthz`)).ok ? true : undefined), 30_000);
    },
    async killServer(signal: NodeJS.Signals = 'SIGKILL') {
      if (!server) return;
      server.kill(signal);
      await waitExit(server);
      server = undefined;
    },
    async startServer() {
      if (server) throw new Error('server is already running');
      server = spawnNode('server', 'server/dist/main.js', serverEnv);
      await serverUp();
    },
    async stop() {
      await stack.killGateway('SIGTERM');
      await stack.killServer('SIGTERM');
      influx.stop();
      // Keep the processes' logs for whoever has to read a failure.
      const artifacts = join(ROOT, 'test-artifacts', 'e2e', `${Date.now()}`);
      mkdirSync(artifacts, { recursive: true });
      for (const name of ['server.log', 'gateway.log']) cpSync(join(dir, name), join(artifacts, name), { force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };

  await serverUp();
  await stack.startGateway();
  return stack;
}
