// The system under test, as `npm start` runs it: a throw-away influxd, the real server
// (`server/dist/main.js`, PGlite in a temp dir) and the real gateway (`gateway/dist/main.js`)
// as child processes on free loopback ports. Everything is stopped by the clean-up steps of
// ../ingest/processes.mjs (also on SIGINT/SIGTERM).
import net from 'node:net';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { startInflux } from '../../infra/scripts/services.mjs';
import { spawnNode, stopChild, onCleanup } from '../ingest/processes.mjs';
import { createDatabase } from '../ingest/influx.mjs';
import { log } from '../ingest/report.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_MAIN = join(REPO_ROOT, 'server/dist/main.js');
const GATEWAY_MAIN = join(REPO_ROOT, 'gateway/dist/main.js');
const READY_TIMEOUT_MS = 60_000;

/** A port the OS considers free right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** @param {string} file @param {number} lines */
export function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls `probe` until it resolves truthy; throws naming `what` (and the child's log) otherwise.
 * @param {string} what @param {() => Promise<unknown>} probe @param {{ child?: import('node:child_process').ChildProcess, logFile?: string }} [opts]
 */
async function waitUntil(what, probe, opts = {}) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (opts.child && (opts.child.exitCode !== null || opts.child.signalCode !== null)) {
      throw new Error(`${what}: process exited (${opts.child.exitCode ?? opts.child.signalCode}); log tail:\n${opts.logFile ? tail(opts.logFile) : ''}`);
    }
    try {
      if (await probe()) return;
    } catch {
      /* not up yet */
    }
    await sleep(200);
  }
  throw new Error(`${what} not ready within ${READY_TIMEOUT_MS / 1000} s${opts.logFile ? `; log tail:\n${tail(opts.logFile)}` : ''}`);
}

/**
 * @param {{ workDir: string, influxUrl?: string, serverEnv?: Record<string, string>, gatewayEnv?: Record<string, string>, serverArgs?: string[] }} p
 */
export async function startStack({ workDir, influxUrl, serverEnv = {}, gatewayEnv = {}, serverArgs = [] }) {
  for (const main of [SERVER_MAIN, GATEWAY_MAIN]) {
    if (!existsSync(main)) throw new Error(`${main} not found: build first (npx turbo run build --filter=@sanitation/server --filter=@sanitation/gateway)`);
  }
  let influx = influxUrl ? { url: influxUrl.replace(/\/+$/, ''), pid: undefined, started: false } : null;
  if (!influx) {
    const port = await freePort();
    const started = await startInflux({ dir: join(workDir, 'influx'), port });
    onCleanup(() => started.stop());
    influx = { url: started.url, pid: started.pid, started: true };
  }
  const influxDb = `bench_dispatch_${Date.now()}`;
  await createDatabase(influx.url, influxDb);

  const [httpPort, mqttPort, wsPort, gwHttpPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const internalToken = randomBytes(24).toString('base64url');
  const adminPassword = randomBytes(12).toString('base64url');
  const influxEnv = { INFLUX_API: '1', INFLUX_URL: influx.url, INFLUX_DB: influxDb };
  const serverUrl = `http://127.0.0.1:${httpPort}`;
  const serverLog = join(workDir, 'server.log');
  const gatewayLog = join(workDir, 'gateway.log');
  mkdirSync(join(workDir, 'server-data'), { recursive: true });

  const server = spawnNode([...serverArgs, SERVER_MAIN], {
    cwd: REPO_ROOT,
    logFile: serverLog,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...influxEnv,
      PORT: String(httpPort),
      HOST: '127.0.0.1',
      DATA_DIR: join(workDir, 'server-data'),
      ADMIN_PASSWORD: adminPassword,
      INTERNAL_TOKEN: internalToken,
      GATEWAY_MQTT_URLS: `mqtt://127.0.0.1:${mqttPort}`,
      LOG_LEVEL: 'warn',
      ...serverEnv,
    },
  });
  onCleanup(() => stopChild(server, 15_000));
  await waitUntil('server /api/health', async () => (await fetch(`${serverUrl}/api/health`)).status < 500, { child: server, logFile: serverLog });

  const gateway = spawnNode([GATEWAY_MAIN], {
    cwd: REPO_ROOT,
    logFile: gatewayLog,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...influxEnv,
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      MQTT_WS_PORT: String(wsPort),
      GATEWAY_HTTP_PORT: String(gwHttpPort),
      GATEWAY_ID: 'bench-gw',
      SERVER_URL: serverUrl,
      INTERNAL_TOKEN: internalToken,
      SPOOL_DIR: join(workDir, 'spool'),
      LOG_LEVEL: 'warn',
      ...gatewayEnv,
    },
  });
  onCleanup(() => stopChild(gateway, 15_000));
  const gatewayHttpUrl = `http://127.0.0.1:${gwHttpPort}`;
  await waitUntil('gateway /healthz', async () => (await fetch(`${gatewayHttpUrl}/healthz`)).ok, { child: gateway, logFile: gatewayLog });

  const loginRes = await fetch(`${serverUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: adminPassword }),
  });
  if (!loginRes.ok) throw new Error(`admin login failed: ${loginRes.status} ${await loginRes.text()}`);
  const { token } = /** @type {{ token: string }} */ (await loginRes.json());
  log(`[setup] influxd ${influx.url}${influx.started ? ' (started for this run)' : ''} db ${influxDb}; server pid ${server.pid} ${serverUrl}; gateway pid ${gateway.pid} mqtt ${mqttPort}`);

  return {
    influx: { ...influx, db: influxDb },
    server,
    gateway,
    serverUrl,
    gatewayHttpUrl,
    mqttPort,
    token,
    internalToken,
    logs: { server: serverLog, gateway: gatewayLog },
    /** Whichever child has died, as a message, else null. */
    deadChild() {
      for (const [name, child, file] of /** @type {const} */ ([['server', server, serverLog], ['gateway', gateway, gatewayLog]])) {
        if (child.exitCode !== null || child.signalCode !== null) return `${name} exited (${child.exitCode ?? child.signalCode}); log tail:\n${tail(file)}`;
      }
      return null;
    },
    /**
     * JSON API call with the admin token.
     * @param {string} method @param {string} path @param {unknown} [body]
     */
    async api(method, path, body) {
      const res = await fetch(`${serverUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
      return json;
    },
    /** Gateway /stats, or null. */
    async gatewayStats() {
      try {
        const res = await fetch(`${gatewayHttpUrl}/stats`, { signal: AbortSignal.timeout(2000) });
        return res.ok ? await res.json() : null;
      } catch {
        return null;
      }
    },
  };
}
