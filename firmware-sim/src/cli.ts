#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { generateCity } from './city/city.generator.js';
import { cityToGeoJson } from './city/city-geojson.exporter.js';
import { loadCityConfig, loadRunConfig, type CityFlags, type RunFlags } from './config/sim.config.js';
import { startProgress } from './progress/progress.reporter.js';
import { SimError } from './shared/sim.exception.js';
import { createSimulation } from './simulation.js';
import { writeStatsFile } from './stats/stats.writer.js';

const log = (msg: string) => process.stderr.write(`[sanitation-sim] ${msg}\n`);

async function run(flags: RunFlags): Promise<void> {
  const config = loadRunConfig(flags);
  const sim = createSimulation(config.simulation, log);
  const c = sim.city;
  log(`city "${c.name}" seed ${c.seed}: ${c.devices.length} devices, ${c.zones.length} zones, ${c.nodes.length} junctions, ${c.cabinets.length} cabinets`);
  log(`server ${sim.options.serverUrl}, mqtt ${sim.options.mqttUrl}, speed ×${sim.options.speed}, start ${new Date(sim.clock.startSim).toISOString()}`);
  await sim.start();
  for (const f of sim.activeFaults()) log(`fault ${f.type} on ${f.cabinetIds?.join(', ') ?? f.deviceIds.slice(0, 5).join(', ')}${f.deviceIds.length > 5 ? ` (+${f.deviceIds.length - 5})` : ''}`);
  const progress = startProgress(() => sim.stats(), { tty: config.progress ?? Boolean(process.stdout.isTTY) });
  let interrupted = false;
  const interrupt = new Promise<void>((resolve) => {
    const onSignal = () => {
      if (interrupted) process.exit(130); // second Ctrl-C: leave now
      interrupted = true;
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await Promise.race([sim.finished, interrupt]);
  progress.stop();
  log(`stopping: flushing store-and-forward buffers (up to ${config.drainTimeoutMs} ms)`);
  const stats = await sim.stop({ drain: true, timeoutMs: config.drainTimeoutMs });
  log(
    `done: ${stats.devices} devices, published ${stats.published}, acked ${stats.acked}, still buffered ${stats.buffered}, ` +
      `failures ${stats.sendFailures}, dropped ${stats.dropped}, garbage ${stats.garbageSent}, sim time ${stats.simTime}`,
  );
  if (config.statsOut) {
    await writeStatsFile(config.statsOut, stats, sim.options.seed, sim.clock.startSim);
    log(`stats written to ${config.statsOut}`);
  }
}

async function city(flags: CityFlags): Promise<void> {
  const config = loadCityConfig(flags);
  const geo = JSON.stringify(cityToGeoJson(generateCity({ seed: config.seed, devices: config.devices })));
  if (!config.out || config.out === '-') {
    process.stdout.write(`${geo}\n`);
    return;
  }
  await mkdir(dirname(config.out), { recursive: true });
  await writeFile(config.out, geo);
  log(`city (seed ${config.seed}, ${config.devices} devices) written to ${config.out}`);
}

const program = new Command()
  .name('sanitation-sim')
  .description('Simulates the field firmware of sanitation devices (bins, toilets, septic tanks, streetlights, trucks) over MQTT');

program
  .command('run')
  .description('provision the demo city through the server and run its devices against the MQTT gateway')
  .option('--server <url>', 'server base URL (env SIM_SERVER_URL)', undefined)
  .option('--mqtt <url>', 'MQTT broker URL (env SIM_MQTT_URL)')
  .option('--admin-user <name>', 'operator account used to provision', undefined)
  .option('--admin-password <password>', 'operator password (env ADMIN_PASSWORD)')
  .option('--devices <n>', 'number of devices (default 1000)')
  .option('--seed <n>', 'city seed (default 42)')
  .option('--speed <factor>', 'sim seconds per real second (default 60)')
  .option('--start <iso>', 'sim start time (default now)')
  .option('--duration <d>', 'sim time to run, e.g. 1d, 6h, 90m (default: until Ctrl-C)')
  .option('--faults <list>', 'faults, e.g. lamp-failure:5,bin-fire:1,sensor-offline:3@2h,garbage:2')
  .option('--stats-out <file>', 'write per-device counts (published, acked, garbage) here at the end')
  .option('--credentials <file>', 'device secrets file (default .data/sim/credentials-<seed>.json)')
  .option('--connect-rate <n>', 'new connections per second (default 300)')
  .option('--buffer-size <n>', 'store-and-forward capacity per device, readings (default 5000)')
  .option('--drain-timeout <d>', 'how long to wait for PUBACKs at the end (default 30s)')
  .option('--clock-anchor <ms>', 'wall-clock epoch ms at which sim time = --start (give the server the same CLOCK_ANCHOR)')
  .option('--collect-at <pct>', 'collection trucks go for bins at least this full (default 50)')
  .option('--pump-at <pct>', 'tankers go for septic tanks at least this full (default 70)')
  .option('--crew-password <password>', 'create the crews\' member accounts (role crew) with this password (env SIM_CREW_PASSWORD)')
  .option('--no-fleet', 'do not register vehicles, crews and disposal sites with the server')
  .option('--no-follow-jobs', 'collection trucks choose bins themselves instead of serving the jobs the server assigned them')
  .option('--no-progress', 'plain log lines instead of the progress bar')
  .action(async (opts: RunFlags & { progress?: boolean; fleet?: boolean; followJobs?: boolean }) => {
    // commander sets progress=true by default for --no-progress; only an explicit false matters.
    const off = (v: boolean | undefined) => (v === false ? false : undefined);
    await run({ ...opts, progress: off(opts.progress), fleet: off(opts.fleet), followJobs: off(opts.followJobs) });
  });

program
  .command('city')
  .description('write the demo city (streets, zones, sites, cabinets, devices) as GeoJSON')
  .option('--seed <n>', 'city seed (default 42)')
  .option('--devices <n>', 'number of devices (default 1000)')
  .option('--out <file>', 'output file (default: stdout)')
  .action(city);

program.parseAsync(process.argv).catch((err: unknown) => {
  log(err instanceof SimError ? `${err.code}: ${err.message}` : `fatal: ${(err as Error).stack ?? String(err)}`);
  process.exit(err instanceof SimError ? 2 : 1);
});
