#!/usr/bin/env node
// Dispatch benchmark (issue 3, "bench/dispatch"): the delay from the reading that crosses a bin's
// fill threshold to the collection job appearing on the live socket, while the gateway ingests a
// steady background load. influxd, the server and the gateway run as child processes (stack.mjs);
// the load is the ingest benchmark's raw-socket generator in paced mode with a reading that trips
// no rule (quiet-template.mjs); each event bin is an MQTT.js client; the dashboard is a
// socket.io client subscribed to the whole city. The last line is
// `dispatch: p50 <a> ms, p99 <b> ms`.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { INTERNAL_READINGS_TOPIC, LIVE_NAMESPACE, LIVE_PATH } from '@sanitation/contracts';
import { LoadGenerator } from '../ingest/load-generator.mjs';
import { onCleanup, cleanup, installSignalHandlers } from '../ingest/processes.mjs';
import { log, fmt, cpuMeter } from '../ingest/report.mjs';
import { summarizeProfile } from '../ingest/profile-summary.mjs';
import { startStack, REPO_ROOT } from './stack.mjs';
import { CITY_BBOX, makeBins, registerBins, connectEventBins, tapHandoffs } from './event-bins.mjs';
import { quietTemplate } from './quiet-template.mjs';
import { DispatchTracker, percentile, formatMs } from './latency.mjs';
import { parseBenchArgs } from '../shared/cli.mjs';

const USAGE = `usage: node bench/dispatch/run.mjs [options]
  --events N          threshold crossings measured, one per event bin (default 1000)
  --bins N            event bins registered (default 1000, ≥ --events)
  --load-devices N    background-load bins (default 1000)
  --rate R            background load, readings/s in total (default 5000)
  --event-rate R      crossings started per second (default 20)
  --event-timeout S   how long a crossing may take to show its job, seconds (default 15)
  --target-ms MS      p99 target, only reported (default 250)
  --influx-url URL    use this InfluxDB 1.x instead of starting a throw-away influxd
  --server-env K=V    extra environment for the server child (repeatable), e.g. DATABASE_URL=postgres://…
  --gateway-env K=V   extra environment for the gateway child (repeatable)
  --profile-server    run the server with --cpu-prof and print its hottest functions at the end
  --no-build          do not build server + gateway first (turbo, incremental)
  --keep              keep the temp dir (logs, PGlite, spool)`;

const { args, intArg } = parseBenchArgs(USAGE, {
  events: { type: 'string', default: '1000' },
  bins: { type: 'string', default: '1000' },
  'load-devices': { type: 'string', default: '1000' },
  rate: { type: 'string', default: '5000' },
  'event-rate': { type: 'string', default: '20' },
  'event-timeout': { type: 'string', default: '15' },
  'target-ms': { type: 'string', default: '250' },
  'influx-url': { type: 'string' },
  'no-build': { type: 'boolean', default: false },
  'profile-server': { type: 'boolean', default: false },
  'server-env': { type: 'string', multiple: true, default: [] },
  'gateway-env': { type: 'string', multiple: true, default: [] },
  keep: { type: 'boolean', default: false },
});


/** @param {string} name @param {string[]} list KEY=VALUE items */
function envArg(name, list) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const kv of list) {
    const at = kv.indexOf('=');
    if (!/^[A-Z_][A-Z0-9_]*=/.test(kv)) {
      console.error(`--${name} expects KEY=VALUE, got "${kv}"`);
      process.exit(2);
    }
    env[kv.slice(0, at)] = kv.slice(at + 1);
  }
  return env;
}

const config = {
  events: intArg('events', args.events, 1, 100_000),
  bins: intArg('bins', args.bins, 1, 100_000),
  loadDevices: intArg('load-devices', args['load-devices'], 0, 20_000),
  rate: intArg('rate', args.rate, 0, 1_000_000),
  eventRate: intArg('event-rate', args['event-rate'], 1, 10_000),
  eventTimeoutMs: intArg('event-timeout', args['event-timeout'], 1, 600) * 1000,
  targetMs: intArg('target-ms', args['target-ms'], 1, 100_000),
  influxUrl: args['influx-url'],
  build: !args['no-build'],
  profileServer: args['profile-server'],
  keep: args.keep,
};
if (config.bins < config.events) {
  console.error(`--bins (${config.bins}) must be ≥ --events (${config.events}): each crossing uses a bin that has not crossed yet`);
  process.exit(2);
}
if (config.rate > 0 && config.loadDevices === 0) {
  console.error('--rate needs --load-devices > 0');
  process.exit(2);
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

function build() {
  log('building server + gateway (turbo; --no-build skips this)');
  const r = spawnSync('npx', ['turbo', 'run', 'build', '--filter=@sanitation/server', '--filter=@sanitation/gateway', '--output-logs=errors-only'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 2, 2],
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`build failed (exit ${r.status ?? r.signal})`);
}

/** @param {string} serverUrl @param {string} token @param {DispatchTracker} tracker */
async function connectDashboard(serverUrl, token, tracker) {
  /** @type {import('socket.io-client').Socket<import('@sanitation/contracts').LiveServerEvents, import('@sanitation/contracts').LiveClientEvents>} */
  const socket = io(`${serverUrl}${LIVE_NAMESPACE}`, { path: LIVE_PATH, auth: { token }, transports: ['websocket'], reconnection: false });
  const counts = { deviceStates: 0, deviceBatches: 0, jobEvents: 0, alarms: 0, disconnects: 0 };
  socket.on('job:changed', (job) => {
    const now = performance.now();
    counts.jobEvents++;
    // Only collection jobs answer a fill crossing; others (offline, …) are not what we time.
    if (job.type === 'collection') tracker.onJob(job, now);
  });
  socket.on('device:state', (states) => {
    counts.deviceBatches++;
    counts.deviceStates += states.length;
  });
  socket.on('alarm:changed', () => counts.alarms++);
  socket.on('disconnect', () => counts.disconnects++);
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', (err) => reject(new Error(`live socket refused: ${err.message}`)));
  });
  const ack = await socket.timeout(10_000).emitWithAck('subscribe', { bbox: [...CITY_BBOX] });
  if (!ack.ok) throw new Error(`live subscribe refused: ${ack.error}`);
  return { socket, counts };
}

/** Every event bin must hold exactly one collection job. @param {Awaited<ReturnType<typeof startStack>>} stack @param {string[]} ids */
async function jobsPerBin(stack, ids) {
  /** @type {Map<string, number>} */
  const totals = new Map();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const page = await stack.api('GET', `/api/jobs?deviceId=${encodeURIComponent(id)}&type=collection&limit=10`);
      totals.set(id, Array.isArray(page) ? page.length : Number(page.total));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return totals;
}

async function main() {
  installSignalHandlers();
  const workDir = mkdtempSync(join(tmpdir(), 'bench-dispatch-'));
  onCleanup(() => (config.keep ? log(`kept ${workDir}`) : rmSync(workDir, { recursive: true, force: true })));
  log(`${config.events} crossings at ${config.eventRate}/s over ${config.bins} event bins; background ${fmt(config.rate)} readings/s from ${config.loadDevices} bins; work dir ${workDir}`);
  if (config.build) build();

  const profDir = join(tmpdir(), `bench-dispatch-server-prof-${Date.now()}`); // kept after the run
  if (config.profileServer) {
    // Printed after the server exited (clean-ups run last-in first-out: this one runs after it stopped).
    onCleanup(() => {
      const files = existsSync(profDir) ? readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')) : [];
      if (!files.length) log(`no server CPU profile in ${profDir} (the server must exit normally on SIGTERM)`);
      for (const f of files) console.error(`[profile] server CPU profile ${join(profDir, f)}:\n${summarizeProfile(join(profDir, f), { top: 30 })}`);
    });
  }
  const stack = await startStack({
    workDir,
    influxUrl: config.influxUrl,
    serverEnv: config.serverEnv,
    gatewayEnv: config.gatewayEnv,
    serverArgs: config.profileServer ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  });
  const eventBins = makeBins('dispatch-bin', config.bins, 1);
  const loadBins = makeBins('load-bin', config.loadDevices, 2);
  const r0 = performance.now();
  const secrets = await registerBins(stack, [...eventBins, ...loadBins]);
  console.log(`[setup] registered ${fmt(eventBins.length)} event bins + ${fmt(loadBins.length)} load bins through POST /api/devices/import in ${fmt(performance.now() - r0)} ms`);

  const tracker = new DispatchTracker();
  const dashboard = await connectDashboard(stack.serverUrl, stack.token, tracker);
  onCleanup(() => dashboard.socket.disconnect());

  const tap = await tapHandoffs({ port: stack.mqttPort, internalToken: stack.internalToken, prefix: 'dispatch-bin-', seq: 2, onReading: (id) => tracker.onHandoff(id, performance.now()) });
  onCleanup(() => tap.endAsync());
  const c0 = performance.now();
  const bins = await connectEventBins({ port: stack.mqttPort, bins: eventBins, secrets });
  onCleanup(() => bins.close());
  const gen = new LoadGenerator({
    port: stack.mqttPort,
    devices: loadBins.map((b) => ({ id: b.id, password: /** @type {string} */ (secrets.get(b.id)), kind: 'bin' })),
    readingsPerDevice: config.loadDevices ? Math.ceil((config.rate * 3600) / config.loadDevices) : 0,
    window: 20,
    ratePerS: config.rate || undefined,
  });
  for (const conn of gen.connections) conn.template = quietTemplate(conn.spec.id);
  onCleanup(() => gen.close());
  if (config.loadDevices) await gen.connectAll();
  console.log(`[setup] ${fmt(bins.clients.size)} event-bin MQTT.js clients + ${fmt(gen.connections.length)} load connections up in ${fmt(performance.now() - c0)} ms; live socket subscribed to the city bbox [${CITY_BBOX.join(', ')}]`);

  if (config.rate) void gen.run({ timeLimitMs: 3_600_000 });
  // Every event bin first reports a level below the threshold, so the crossing is a crossing.
  const w0 = performance.now();
  const warm = eventBins.map((b, i) => () => bins.publish(b.id, 1, 30 + (i % 30)));
  for (let i = 0; i < warm.length; i += 50) await Promise.all(warm.slice(i, i + 50).map((f) => f()));
  await sleep(3000);
  const loadAt = { t: performance.now(), acked: gen.acked, stats: await stack.gatewayStats() };
  console.log(`[warm-up] ${fmt(eventBins.length)} below-threshold readings (fill 30–59 %) acked in ${fmt(loadAt.t - w0)} ms; background load acked so far: ${fmt(gen.acked)}`);
  const dead = stack.deadChild();
  if (dead) throw new Error(dead);

  // Crossings, paced: t0 just before the publish of fill 95 % (≥ 80 %), t1 = its job on the socket.
  const cpu = cpuMeter({ bench: process.pid, server: /** @type {number} */ (stack.server.pid), gateway: /** @type {number} */ (stack.gateway.pid), ...(stack.influx.pid ? { influxd: stack.influx.pid } : {}) });
  const e0 = performance.now();
  let publishErrors = 0;
  const progress = setInterval(() => {
    const lat = tracker.latencies();
    log(`[dispatch] ${tracker.events.size}/${config.events} crossings sent, ${lat.length} jobs seen, p50 ${formatMs(percentile(lat, 50))} ms, p99 ${formatMs(percentile(lat, 99))} ms; load acked ${fmt(gen.acked)}`);
  }, 5000);
  for (let i = 0; i < config.events; i++) {
    const due = e0 + (i * 1000) / config.eventRate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const id = eventBins[i].id;
    tracker.expect(id, performance.now());
    bins.publish(id, 2, 95).catch(() => publishErrors++);
  }
  const allSeen = await tracker.settle(config.eventTimeoutMs);
  clearInterval(progress);
  const e1 = performance.now();
  const loadEnd = { t: e1, acked: gen.acked, stats: await stack.gatewayStats() };
  const cpuText = cpu.stop();
  await gen.close();

  const lat = tracker.latencies();
  const p = (/** @type {number} */ q) => formatMs(percentile(lat, q));
  const loadRate = ((loadEnd.acked - loadAt.acked) * 1000) / (loadEnd.t - loadAt.t);
  const accepted = Number(loadEnd.stats?.accepted) - Number(loadAt.stats?.accepted);
  console.log(
    `[load] during the crossings (${((e1 - loadAt.t) / 1000).toFixed(1)} s): ${fmt(loadRate)} readings/s acked by the gateway (target ${fmt(config.rate)}/s)` +
      (Number.isFinite(accepted) ? `, ${fmt((accepted * 1000) / (loadEnd.t - loadAt.t))} readings/s accepted incl. the event bins` : '') +
      `; live socket got ${fmt(dashboard.counts.deviceStates)} device states in ${fmt(dashboard.counts.deviceBatches)} batches`,
  );
  console.log(`[cpu] % of one core during the crossings: ${cpuText}`);
  console.log(
    `[dispatch] ${fmt(config.events)} crossings at ${config.eventRate}/s: ${fmt(lat.length)} jobs on the socket, ${fmt(tracker.pending().length)} missing after ${config.eventTimeoutMs / 1000} s, ` +
      `${publishErrors} publish errors; reading → job:changed p50 ${p(50)} ms, p90 ${p(90)} ms, p99 ${p(99)} ms, max ${formatMs(Math.max(...lat))} ms`,
  );

  const phases = tracker.phases();
  if (phases.gateway.length) {
    const q = (/** @type {number[]} */ v) => `p50 ${formatMs(percentile(v, 50))} ms, p99 ${formatMs(percentile(v, 99))} ms`;
    console.log(
      `[phases] ${fmt(phases.gateway.length)} crossings seen on ${INTERNAL_READINGS_TOPIC}: publish → gateway hand-off (auth, validate, spool fsync) ${q(phases.gateway)}; ` +
        `hand-off → job:changed (server: rules, incident sink, database, live socket) ${q(phases.server)}`,
    );
  }

  // Exactly one job per crossing: the API's count per bin, and the job ids the socket showed.
  const totals = await jobsPerBin(stack, eventBins.slice(0, config.events).map((b) => b.id));
  const notOne = [...totals].filter(([, n]) => n !== 1);
  const dup = tracker.duplicates();
  const ok = allSeen && notOne.length === 0 && dup.length === 0 && publishErrors === 0 && dashboard.counts.disconnects === 0;
  console.log(
    `[verify] GET /api/jobs?deviceId=…&type=collection: ${fmt(totals.size - notOne.length)} of ${fmt(totals.size)} bins hold exactly one job` +
      (notOne.length ? ` (e.g. ${notOne.slice(0, 5).map(([id, n]) => `${id}: ${n}`).join(', ')})` : '') +
      `; socket: ${dup.length} bins with more than one job id; ${tracker.unexpected} collection-job events for other devices` +
      (dashboard.counts.disconnects ? `; socket disconnected ${dashboard.counts.disconnects}×` : '') +
      ` → ${ok ? 'OK' : 'FAIL'}`,
  );
  const p99 = percentile(lat, 99);
  console.log(`[target] p99 ${formatMs(p99)} ms ${p99 <= config.targetMs ? '≤' : '>'} ${config.targetMs} ms → ${p99 <= config.targetMs ? 'met' : 'MISSED'}`);
  console.log(`dispatch: p50 ${p(50)} ms, p99 ${p(99)} ms`);
  return ok;
}

main()
  .then(async (ok) => {
    await cleanup();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (err) => {
    console.error(`[bench] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await cleanup();
    process.exit(1);
  });
