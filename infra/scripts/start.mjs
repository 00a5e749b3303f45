// `npm start`: install what is missing, start InfluxDB, the server, the gateway and a simulated
// demo city, print where to look and how to log in. Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ROOT, ensureNodeModules, build } from './workspace.mjs';
import { ensureCommands, startInflux, isPortFree, waitForPort } from './services.mjs';
import { applyRetention } from './influx-setup.mjs';

const env = process.env;
const intSetting = (name, fallback) => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
};

const DATA = join(ROOT, '.data');
const settings = {
  httpPort: intSetting('PORT', 8080),
  mqttPort: intSetting('MQTT_PORT', 1883),
  mqttWsPort: intSetting('MQTT_WS_PORT', 8083),
  gatewayHttpPort: intSetting('GATEWAY_HTTP_PORT', 8084),
  influxPort: intSetting('INFLUX_PORT', 8086),
  simDevices: intSetting('SIM_DEVICES', 1000), // devices in the demo city
  // Simulated seconds per real second. Above 1 the devices stamp readings ahead of the wall clock.
  simSpeed: intSetting('SIM_SPEED', 1),
  // Trucks go for bins this full: the server raises a collection job at 80 % (or earlier by
  // forecast), so the demo shows jobs being raised and then closed by the truck's proof of service.
  simCollectAtPct: intSetting('SIM_COLLECT_AT', 80),
  // Faults in the demo city (firmware-sim --faults syntax), so alarms and work orders appear.
  simFaults: env.SIM_FAULTS ?? 'lamp-failure:3,cabinet-outage:1,bin-tilt:2,gas-spike:1,sensor-offline:3@2h',
};

/** A secret kept under .data so restarts keep the same value. */
function persistentSecret(file, preset) {
  if (preset) return preset;
  const path = join(DATA, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = randomBytes(18).toString('base64url');
  writeFileSync(path, value + '\n', { mode: 0o600 });
  return value;
}

/**
 * The shared simulated clock: the server (CLOCK_START/CLOCK_ANCHOR/CLOCK_SPEED) and the simulator
 * (--start/--clock-anchor/--speed) run on one timeline, so the server's rules, shifts and SLAs see
 * the same time as the devices' readings. Kept under .data: a restart at the same speed continues
 * the timeline instead of jumping back.
 */
function sharedClock(speed) {
  const path = join(DATA, 'clock.json');
  if (existsSync(path)) {
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8'));
      if (saved.speed === speed && Number.isInteger(saved.start) && Number.isInteger(saved.anchor)) return saved;
    } catch {
      /* unreadable: start a new timeline */
    }
  }
  const now = Date.now();
  const clock = { start: now, anchor: now, speed };
  writeFileSync(path, JSON.stringify(clock) + '\n');
  return clock;
}

const children = [];
function launch(name, script, childEnv, args = []) {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: { ...env, ...childEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      process.stderr.write(`${name} exited (${code ?? signal}); stopping everything\n`);
      shutdown(1);
    }
  });
  children.push(child);
  return child;
}

let shuttingDown = false;
let influx;
function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  // Simulator first (it drains its buffers), then gateway (commits its spool, flushes InfluxDB),
  // then server; InfluxDB only once they have exited, or after 15 s whatever happens.
  const exited = children
    .reverse()
    .map((c) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r))));
  for (const c of children) c.kill('SIGTERM');
  const finish = () => {
    influx?.stop();
    process.exit(code);
  };
  Promise.all(exited).then(finish);
  setTimeout(finish, 15_000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
}

try {
  ensureNodeModules();
  ensureCommands(['influxd']);
  build();
  mkdirSync(DATA, { recursive: true });
  const adminPassword = persistentSecret('admin-password', env.ADMIN_PASSWORD);
  const internalToken = persistentSecret('internal-token', env.INTERNAL_TOKEN);
  const crewPassword = persistentSecret('crew-password', env.SIM_CREW_PASSWORD);
  const clock = sharedClock(settings.simSpeed);

  let influxUrl = env.INFLUX_URL;
  if (!influxUrl) {
    let port = settings.influxPort;
    while (!(await isPortFree(port)) || !(await isPortFree(port + 2))) port += 10;
    influx = await startInflux({ dir: join(DATA, 'influxdb'), port });
    influxUrl = influx.url;
  }
  const influxEnv = { INFLUX_API: env.INFLUX_API ?? '1', INFLUX_URL: influxUrl, INFLUX_DB: env.INFLUX_DB ?? 'sanitation' };
  if (influxEnv.INFLUX_API === '1') await applyRetention(influxUrl, influxEnv.INFLUX_DB, { user: env.INFLUX_USER, password: env.INFLUX_PASSWORD });

  const serverUrl = `http://127.0.0.1:${settings.httpPort}`;
  launch('server', 'server/dist/main.js', {
    ...influxEnv,
    PORT: String(settings.httpPort),
    DATA_DIR: DATA,
    ADMIN_PASSWORD: adminPassword,
    INTERNAL_TOKEN: internalToken,
    GATEWAY_MQTT_URLS: `mqtt://127.0.0.1:${settings.mqttPort}`,
    CLOCK_START: String(clock.start),
    CLOCK_ANCHOR: String(clock.anchor),
    CLOCK_SPEED: String(clock.speed),
    // The built ops dashboard (vite build, part of `build()` above), served by the server at `/`.
    DASHBOARD_DIR: join(ROOT, 'dashboard', 'dist'),
  });
  await waitForHttp(`${serverUrl}/api/health`, 60_000);

  launch('gateway', 'gateway/dist/main.js', {
    ...influxEnv,
    MQTT_PORT: String(settings.mqttPort),
    MQTT_WS_PORT: String(settings.mqttWsPort),
    GATEWAY_HTTP_PORT: String(settings.gatewayHttpPort),
    SERVER_URL: serverUrl,
    INTERNAL_TOKEN: internalToken,
    SPOOL_DIR: join(DATA, 'spool'),
  });
  await waitForPort(settings.mqttPort);

  // The simulator joins the server's timeline where it is now (no backlog of readings to replay);
  // after the devices it registers the trucks, crews (with their member accounts) and disposal sites.
  const simAnchor = Date.now();
  const simStart = clock.start + (simAnchor - clock.anchor) * clock.speed;
  launch('simulator', 'firmware-sim/dist/cli.js', { SIM_CREW_PASSWORD: crewPassword }, [
    'run',
    '--server', serverUrl,
    '--mqtt', `mqtt://127.0.0.1:${settings.mqttPort}`,
    '--admin-password', adminPassword,
    '--devices', String(settings.simDevices),
    '--speed', String(settings.simSpeed),
    '--start', new Date(simStart).toISOString(),
    '--clock-anchor', String(simAnchor),
    '--collect-at', String(settings.simCollectAtPct),
    ...(settings.simFaults ? ['--faults', settings.simFaults] : []),
  ]);

  process.stdout.write(
    [
      '',
      '  Sanitation ops is running',
      `  Open            : ${serverUrl}   (the ops dashboard; API under /api, OpenAPI: ${serverUrl}/api/docs)`,
      `  Login           : admin / ${adminPassword}`,
      `  Crew logins     : lighting-1, toilet-1, truck crews driver-1 … driver-N (phone view) / ${crewPassword}`,
      `  MQTT            : mqtt://127.0.0.1:${settings.mqttPort}   ws://127.0.0.1:${settings.mqttWsPort}`,
      `  Gateway stats   : http://127.0.0.1:${settings.gatewayHttpPort}/stats`,
      `  InfluxDB        : ${influxUrl} (database ${influxEnv.INFLUX_DB})`,
      `  Demo city       : ${settings.simDevices} simulated devices at ${settings.simSpeed}× real time; server clock on the same timeline`,
      `  Dispatch        : ${serverUrl}/api/jobs, /api/alarms, /api/vehicles, /api/crews; live stream socket.io ${serverUrl}/live`,
      '  Ctrl-C stops everything; data stays under .data/',
      '',
    ].join('\n') + '\n',
  );
} catch (err) {
  process.stderr.write(`npm start: ${err.message}\n`);
  shutdown(1);
}
