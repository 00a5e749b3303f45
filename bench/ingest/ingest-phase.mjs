// System phase: the real gateway as a child process (`node gateway/dist/main.js`), fed
// credentials by an in-process stand-in for the server's sync endpoint, writing to a fresh
// InfluxDB database. Rate = acked readings / (time from the first publish until InfluxDB
// holds all of them). Stored ≠ acked fails the benchmark.
import net from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { INTERNAL_READINGS_TOPIC } from '@sanitation/contracts';
import { performance } from 'node:perf_hooks';
import { LoadGenerator } from './load-generator.mjs';
import { RawSubscriber } from './raw-subscriber.mjs';
import { startCredentialsEndpoint } from './credentials-endpoint.mjs';
import { resolveInflux, createDatabase, dropDatabase, countReadings, countPerDevice } from './influx.mjs';
import { spawnNode, stopChild, onCleanup } from './processes.mjs';
import { log, fmt, progressReporter, latencyText, cpuMeter } from './report.mjs';
import { summarizeProfile } from './profile-summary.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const GATEWAY_MAIN = join(REPO_ROOT, 'gateway/dist/main.js');
const MEASUREMENT = 'bin';
const STATS_POLL_MS = 200;
const COUNT_POLL_MS = 500;

/** A port the OS considers free right now (ephemeral). */
function freePort() {
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

/** @param {string} url @returns {Promise<any | null>} */
async function getJson(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/** @param {string} file @param {number} lines */
function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * @param {{
 *   fleet: { id: string, password: string, kind: string }[],
 *   workDir: string,
 *   runId: string,
 *   config: { readingsPerDevice: number, window: number, ratePerS?: number, timeLimitMs: number, persistLimitMs: number,
 *             influxUrl?: string, gatewayEnv: string[], profile: boolean, keep: boolean },
 * }} p
 * @returns {Promise<{ rate: number, ok: boolean }>}
 */
export async function runIngestPhase({ fleet, workDir, runId, config }) {
  const label = '[ingest]';
  if (!existsSync(GATEWAY_MAIN)) {
    throw new Error(`${GATEWAY_MAIN} not found: build the gateway first (cd gateway && npx tsc -p tsconfig.build.json)`);
  }

  const influx = await resolveInflux({ explicit: config.influxUrl, env: process.env, log });
  onCleanup(() => influx.stop());
  const db = `bench_ingest_${Date.now()}_${runId}`;
  await createDatabase(influx.url, db);
  onCleanup(() => (config.keep ? log(`kept InfluxDB database ${db} at ${influx.url}`) : dropDatabase(influx.url, db)));
  log(`${label} InfluxDB ${influx.url}${influx.started ? ' (started for this run)' : ''}, database ${db}`);

  const token = randomBytes(24).toString('base64url');
  const creds = await startCredentialsEndpoint({ token, devices: fleet });
  onCleanup(() => creds.close());

  const [mqttPort, wsPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const spoolDir = join(workDir, 'spool');
  mkdirSync(spoolDir, { recursive: true });
  const profDir = join(tmpdir(), `bench-ingest-cpu-prof-${runId}`); // kept after the run
  const logFile = join(workDir, 'gateway.log');
  const env = {
    ...process.env,
    MQTT_PORT: String(mqttPort),
    MQTT_WS_PORT: String(wsPort),
    GATEWAY_HTTP_PORT: String(httpPort),
    SERVER_URL: creds.url,
    INTERNAL_TOKEN: token,
    SPOOL_DIR: spoolDir,
    INFLUX_API: '1',
    INFLUX_URL: influx.url,
    INFLUX_DB: db,
    ...Object.fromEntries(config.gatewayEnv.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  };
  const nodeArgs = config.profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const gateway = spawnNode([...nodeArgs, GATEWAY_MAIN], { env, logFile, cwd: REPO_ROOT });
  let gatewayExit = /** @type {string | null} */ (null);
  gateway.once('exit', (code, signal) => (gatewayExit = `exit ${code ?? signal}`));
  log(`${label} gateway pid ${gateway.pid}: MQTT 127.0.0.1:${mqttPort}, HTTP ${httpPort}, spool ${spoolDir}, log ${logFile}`);

  const statsUrl = `http://127.0.0.1:${httpPort}/stats`;
  const gen = new LoadGenerator({ port: mqttPort, devices: fleet, readingsPerDevice: config.readingsPerDevice, window: config.window, ratePerS: config.ratePerS });
  const core = new RawSubscriber({ port: mqttPort, topic: INTERNAL_READINGS_TOPIC, clientId: 'bench-core', username: '$svc:bench-core', password: token });
  try {
    // Ready = /stats answers and the gateway has fetched the fleet's credentials at least once.
    const readyBy = Date.now() + 30_000;
    while (!((await getJson(statsUrl)) && creds.fullSyncs() > 0)) {
      if (gatewayExit) throw new Error(`gateway ${gatewayExit} during start-up; log tail:\n${tail(logFile, 30)}`);
      if (Date.now() > readyBy) throw new Error(`gateway not ready within 30 s (stats ${statsUrl}, credential polls ${creds.polls()}); log tail:\n${tail(logFile, 30)}`);
      await sleep(100);
    }
    // Stands in for the server: a service client subscribed to the accepted-readings topic, so
    // the gateway pays for handing every batch on, as it does in production.
    await core.start();
    const c0 = performance.now();
    await gen.connectAll();
    log(`${label} ${gen.connections.length} connections up in ${fmt(performance.now() - c0)} ms`);

    const t0 = performance.now();
    const cpu = cpuMeter({ 'bench (generator)': process.pid, gateway: gateway.pid, ...(influx.pid ? { influxd: influx.pid } : {}) });
    const progress = progressReporter(label, t0);
    const r = await gen.run({
      timeLimitMs: config.timeLimitMs,
      onProgress: (g) => {
        progress(g);
        // The writer's progress beside the acks shows which of the two is behind.
        void getJson(statsUrl).then((s) => s && log(`${label}   gateway: influx.written=${fmt(s.influx?.written ?? NaN)} spool.pending=${fmt(s.spool?.pending ?? NaN)}`));
      },
    });
    if (r.timedOut) console.log(`${label} time limit hit: ${fmt(r.sent)} of ${fmt(r.planned)} readings published, ${fmt(r.acked)} acked`);
    log(`${label} all publishes answered after ${((r.lastAckAt - r.firstPublishAt) / 1000).toFixed(2)} s; waiting for InfluxDB to hold ${fmt(r.acked)} readings`);

    // Wait until InfluxDB holds every acked reading: watch the gateway's cheap counter, then
    // confirm with a count query (the count alone decides).
    const persistBy = performance.now() + config.persistLimitMs;
    let stored = 0;
    let persistedAt = 0;
    let lastCountAt = 0;
    while (performance.now() < persistBy) {
      if (gatewayExit) throw new Error(`gateway ${gatewayExit} while writing; log tail:\n${tail(logFile, 30)}`);
      const stats = await getJson(statsUrl);
      const written = Number(stats?.influx?.written);
      const now = performance.now();
      const statsSaysDone = Number.isFinite(written) && written >= r.acked;
      if (statsSaysDone || now - lastCountAt >= COUNT_POLL_MS * (Number.isFinite(written) ? 4 : 1)) {
        lastCountAt = now;
        stored = await countReadings(influx.url, db, MEASUREMENT);
        if (stored >= r.acked) {
          persistedAt = statsSaysDone ? now : performance.now();
          break;
        }
      }
      await sleep(STATS_POLL_MS);
    }
    if (!persistedAt) stored = await countReadings(influx.url, db, MEASUREMENT);
    const finalStats = await getJson(statsUrl);
    const cpuText = cpu.stop();

    const durationMs = (persistedAt || performance.now()) - r.firstPublishAt;
    const rate = persistedAt ? (r.acked * 1000) / durationMs : 0;
    console.log(
      `${label} connections: ${r.connections}, window: ${config.window}, readings: ${fmt(r.acked)} acked / ${fmt(stored)} stored in InfluxDB, ` +
        `duration: ${(durationMs / 1000).toFixed(2)} s, rate: ${fmt(rate)} readings/s ` +
        `(acked ${fmt(r.ackRate)}/s; last ack → all stored ${persistedAt ? fmt(persistedAt - r.lastAckAt) : '—'} ms; ${latencyText(r)})`,
    );
    console.log(`${label} CPU (% of one core) from first publish to all stored: ${cpuText}`);
    console.log(`${label} gateway /stats: ${JSON.stringify(finalStats)}`);
    console.log(`${label} ${INTERNAL_READINGS_TOPIC}: ${fmt(core.received)} batches delivered to the stand-in core subscriber`);

    // Exactly once, per device: stored count per deviceId must equal that device's acked count.
    const perDevice = await countPerDevice(influx.url, db, MEASUREMENT);
    const wrong = [...r.perDevice].filter(([id, acked]) => (perDevice.get(id) ?? 0) !== acked);
    const ok = stored === r.acked && wrong.length === 0 && r.connectionsLost === 0 && r.unexpectedAcks === 0;
    console.log(
      `${label} verify: stored ${fmt(stored)} ${stored === r.acked ? '==' : '!='} acked ${fmt(r.acked)}; ` +
        `devices with stored ≠ acked: ${wrong.length}` +
        (wrong.length ? ` (e.g. ${wrong.slice(0, 5).map(([id, a]) => `${id} acked ${a} stored ${perDevice.get(id) ?? 0}`).join(', ')})` : '') +
        (r.connectionsLost ? `; connections lost: ${r.connectionsLost} (${r.lastLossReason})` : '') +
        (r.unexpectedAcks ? `; unexpected PUBACKs: ${r.unexpectedAcks}` : '') +
        ` → ${ok ? 'OK' : 'FAIL'}`,
    );
    if (!persistedAt) console.log(`${label} FAIL: InfluxDB did not hold all acked readings within ${config.persistLimitMs / 1000} s`);
    return { rate, ok: ok && persistedAt > 0 };
  } finally {
    await gen.close();
    core.close();
    const exit = await stopChild(gateway, 15_000);
    if (config.profile) {
      const profiles = existsSync(profDir) ? readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')) : [];
      if (profiles.length === 0) log(`${label} no CPU profile written (gateway ${JSON.stringify(exit)}; it must exit normally on SIGTERM)`);
      for (const f of profiles) {
        console.log(`${label} gateway CPU profile ${join(profDir, f)}:`);
        console.log(summarizeProfile(join(profDir, f), { top: 25 }));
      }
    }
  }
}
