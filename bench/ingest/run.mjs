#!/usr/bin/env node
// Ingest benchmark (issue 2, "bench/ingest"): the same light load generator drives
//   1. raw:    a bare aedes broker in a child process; rate = messages delivered to one
//              subscriber of `sanitation/v1/+/+/telemetry` per second;
//   2. ingest: the real gateway (`gateway/dist/main.js`) in a child process; rate = readings
//              persisted in InfluxDB per second, from the first publish until InfluxDB holds
//              every acknowledged reading (and exactly those: a mismatch exits 1).
// The last line is `ingest: <N> readings/s, raw broker: <M> msgs/s, ratio: <N/M>`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { generateDeviceSecret } from '@sanitation/contracts/credentials';
import { LoadGenerator } from './load-generator.mjs';
import { RawSubscriber } from './raw-subscriber.mjs';
import { spawnNode, stopChild, onCleanup, cleanup, installSignalHandlers } from './processes.mjs';
import { runIngestPhase } from './ingest-phase.mjs';
import { log, fmt, progressReporter, latencyText, cpuMeter, settle } from './report.mjs';
import { parseBenchArgs } from '../shared/cli.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '../..');

const USAGE = `usage: node bench/ingest/run.mjs [options]
  --phase both|raw|ingest      phases to run (default both; the summary line needs both)
  --devices N                  connections / devices (default 1000)
  --raw-readings N             QoS 1 publishes per device in the raw phase (default 300, ~15–20 s)
  --ingest-readings N          QoS 1 publishes per device in the ingest phase (default 500, ~15–20 s)
  --readings-per-device N      sets both of the above
  --window N                   in-flight publishes per connection (default 20)
  --rate R                     paced mode: offer R publishes/s in total (default: as fast as the windows allow)
  --time-limit S               publishing time limit per phase, seconds (default 120)
  --persist-limit S            limit for InfluxDB to hold all acked readings, seconds (default 120)
  --influx-url URL             InfluxDB 1.x (default: INFLUX_URL, TEST_INFLUX_URL, http://127.0.0.1:18086, else start one)
  --gateway-env KEY=VALUE      extra environment for the gateway child (repeatable)
  --profile                    run the gateway with --cpu-prof and print its hottest functions
  --no-build                   do not build contracts + gateway first (turbo, incremental)
  --keep                       keep the InfluxDB database and the temp dir (spool, logs)`;

const { args, intArg } = parseBenchArgs(USAGE, {
  phase: { type: 'string', default: 'both' },
  devices: { type: 'string', default: '1000' },
  'readings-per-device': { type: 'string' },
  'raw-readings': { type: 'string' },
  'ingest-readings': { type: 'string' },
  window: { type: 'string', default: '20' },
  rate: { type: 'string' },
  'time-limit': { type: 'string', default: '120' },
  'persist-limit': { type: 'string', default: '120' },
  'influx-url': { type: 'string' },
  'gateway-env': { type: 'string', multiple: true, default: [] },
  profile: { type: 'boolean', default: false },
  keep: { type: 'boolean', default: false },
  'no-build': { type: 'boolean', default: false },
});



const config = {
  phase: args.phase,
  devices: intArg('devices', args.devices, 1, 20_000),
  rawReadings: intArg('raw-readings', args['raw-readings'] ?? args['readings-per-device'] ?? '300', 1, 1_000_000),
  ingestReadings: intArg('ingest-readings', args['ingest-readings'] ?? args['readings-per-device'] ?? '500', 1, 1_000_000),
  window: intArg('window', args.window, 1, 1000),
  ratePerS: args.rate === undefined ? undefined : intArg('rate', args.rate, 1, 10_000_000),
  timeLimitMs: intArg('time-limit', args['time-limit'], 1, 3600) * 1000,
  persistLimitMs: intArg('persist-limit', args['persist-limit'], 1, 3600) * 1000,
  influxUrl: args['influx-url'],
  gatewayEnv: /** @type {string[]} */ (args['gateway-env']),
  profile: args.profile,
  keep: args.keep,
  build: !args['no-build'],
};
if (!['both', 'raw', 'ingest'].includes(config.phase)) {
  console.error(`--phase must be both, raw or ingest, got "${config.phase}"`);
  process.exit(2);
}
for (const kv of config.gatewayEnv) {
  if (!/^[A-Z_][A-Z0-9_]*=/.test(kv)) {
    console.error(`--gateway-env expects KEY=VALUE, got "${kv}"`);
    process.exit(2);
  }
}

/** Builds the gateway and what it depends on (turbo skips what is up to date); output to stderr. */
function buildGateway() {
  log('building @sanitation/gateway (turbo; --no-build skips this)');
  const r = spawnSync('npx', ['turbo', 'run', 'build', '--filter=@sanitation/gateway', '--output-logs=errors-only'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 2, 2],
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`building the gateway failed (exit ${r.status ?? r.signal})`);
}

/** 1,000 devices `bench-bin-0001`.. with fresh random secrets. */
function makeFleet(n) {
  const width = Math.max(4, String(n).length);
  return Array.from({ length: n }, (_, i) => ({
    id: `bench-bin-${String(i + 1).padStart(width, '0')}`,
    password: generateDeviceSecret(),
    kind: 'bin',
  }));
}

/**
 * Starts `aedes-broker.mjs` as a child and resolves with its port.
 * @param {string} logFile
 */
async function startBareBroker(logFile) {
  const child = spawnNode([join(HERE, 'aedes-broker.mjs')], { logFile, ipc: true });
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare aedes broker did not start within 15 s (log: ${logFile})`)), 15_000);
    child.once('message', (/** @type {any} */ m) => {
      clearTimeout(timer);
      if (m?.type === 'listening' && m.port > 0) resolvePort(m.port);
      else reject(new Error(`unexpected message from broker child: ${JSON.stringify(m)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bare aedes broker exited with ${code} (log: ${logFile})`));
    });
  });
  return { child, port: /** @type {number} */ (port) };
}

/** @param {ReturnType<typeof makeFleet>} fleet @param {string} workDir */
async function runRawPhase(fleet, workDir) {
  const label = '[raw]';
  const { child, port } = await startBareBroker(join(workDir, 'aedes-broker.log'));
  log(`${label} bare aedes broker pid ${child.pid} on 127.0.0.1:${port}`);
  const sub = new RawSubscriber({ port, topic: 'sanitation/v1/+/+/telemetry' });
  const gen = new LoadGenerator({ port, devices: fleet, readingsPerDevice: config.rawReadings, window: config.window, ratePerS: config.ratePerS });
  try {
    await sub.start();
    const c0 = performance.now();
    await gen.connectAll();
    log(`${label} ${gen.connections.length} connections up in ${fmt(performance.now() - c0)} ms`);
    const t0 = performance.now();
    const cpu = cpuMeter({ 'bench (generator+subscriber)': process.pid, 'aedes child': child.pid });
    const r = await gen.run({ timeLimitMs: config.timeLimitMs, onProgress: progressReporter(label, t0) });
    const complete = await sub.waitFor(r.acked, 15_000);
    const cpuText = cpu.stop();
    const durationMs = sub.lastAt - r.firstPublishAt;
    const rate = durationMs > 0 ? (sub.received * 1000) / durationMs : 0;
    console.log(
      `${label} connections: ${r.connections}, window: ${config.window}, readings: ${fmt(r.acked)} acked / ${fmt(sub.received)} delivered to the subscriber, ` +
        `duration: ${(durationMs / 1000).toFixed(2)} s, rate: ${fmt(rate)} msgs/s (acked ${fmt(r.ackRate)}/s; ${latencyText(r)})`,
    );
    console.log(`${label} CPU (% of one core) while publishing: ${cpuText}`);
    if (r.timedOut) console.log(`${label} time limit hit: ${fmt(r.sent)} of ${fmt(r.planned)} readings published`);
    if (!complete || sub.received !== r.acked) console.log(`${label} WARNING: subscriber got ${fmt(sub.received)} of ${fmt(r.acked)} acked messages`);
    if (r.connectionsLost) console.log(`${label} WARNING: ${r.connectionsLost} connections lost (${r.lastLossReason})`);
    return { rate, ok: r.connectionsLost === 0 };
  } finally {
    await gen.close();
    sub.close();
    await stopChild(child);
  }
}

async function main() {
  installSignalHandlers();
  const workDir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  onCleanup(() => (config.keep ? log(`kept ${workDir}`) : rmSync(workDir, { recursive: true, force: true })));
  const fleet = makeFleet(config.devices);
  log(
    `${config.devices} devices, readings per device: raw ${config.rawReadings}, ingest ${config.ingestReadings}; window ${config.window}${config.ratePerS ? `, paced at ${config.ratePerS}/s` : ''}, ` +
      `time limit ${config.timeLimitMs / 1000} s, work dir ${workDir}`,
  );
  if (config.phase !== 'raw' && config.build) buildGateway();
  let failed = false;
  /** @type {number | null} */
  let rawRate = null;
  /** @type {number | null} */
  let ingestRate = null;
  if (config.phase !== 'ingest') {
    await settle('[raw]');
    const raw = await runRawPhase(fleet, workDir);
    rawRate = raw.rate;
    failed ||= !raw.ok;
  }
  if (config.phase !== 'raw') {
    await settle('[ingest]');
    const ingest = await runIngestPhase({
      fleet,
      workDir,
      config: { ...config, readingsPerDevice: config.ingestReadings },
      runId: randomBytes(4).toString('hex'),
    });
    ingestRate = ingest.rate;
    failed ||= !ingest.ok;
  }
  await cleanup();
  if (rawRate !== null && ingestRate !== null) {
    const n = Math.round(ingestRate);
    const m = Math.round(rawRate);
    console.log(`ingest: ${n} readings/s, raw broker: ${m} msgs/s, ratio: ${m > 0 ? (n / m).toFixed(2) : '0.00'}`);
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch(async (err) => {
  console.error(`[bench] FAILED: ${err?.stack ?? err}`);
  await cleanup();
  process.exit(1);
});
