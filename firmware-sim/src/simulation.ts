import type { DeviceKind } from '@sanitation/contracts';
import { generateCity } from './city/city.generator.js';
import type { City, DeviceSpec } from './city/city.types.js';
import { Scheduler } from './clock/scheduler.js';
import { SimClock } from './clock/sim-clock.js';
import { FaultInjector, type ActiveFault } from './faults/fault.injector.js';
import type { FaultSpec } from './faults/fault.types.js';
import { GARBAGE_KINDS, garbagePayload } from './faults/garbage.generator.js';
import { DeviceFirmware, type FirmwareCounters } from './firmware/device-firmware.js';
import { World } from './physics/world.js';
import { defaultCredentialsPath } from './provision/credentials.store.js';
import { provisionFleet } from './provision/provision.service.js';
import { provisionUnits, truckCrewMember } from './provision/fleet.provision.js';
import { ServerJobsSource } from './dispatch/server-jobs.source.js';
import { Rng } from './shared/rng.js';
import { SimError, SimErrorCode } from './shared/sim.exception.js';
import { simulationOptionsSchema, type ResolvedSimulationOptions, type SimulationOptions } from './simulation.options.js';

export interface DeviceHandle {
  id: string;
  kind: DeviceKind;
  zone: string;
  spec: DeviceSpec;
  /** Present once `start()` has provisioned the device. */
  firmware: DeviceFirmware | null;
}

export interface DeviceStats extends FirmwareCounters {
  kind: DeviceKind;
  connected: boolean;
  /** Readings held in the store-and-forward buffer (pending + awaiting PUBACK). */
  buffered: number;
}

export interface SimStats {
  /** Current sim time (ISO 8601). */
  simTime: string;
  simElapsedMs: number;
  realElapsedMs: number;
  devices: number;
  connected: number;
  published: number;
  acked: number;
  buffered: number;
  sendFailures: number;
  dropped: number;
  garbageSent: number;
  garbageAcked: number;
  /** Good readings published per real second since start. */
  readingsPerSec: number;
  perDevice: Record<string, DeviceStats>;
}

export interface Simulation {
  readonly city: City;
  readonly world: World;
  readonly clock: SimClock;
  readonly options: ResolvedSimulationOptions;
  readonly devices: DeviceHandle[];
  /** Resolves when sim time reaches start + durationMs (never, without a duration). */
  readonly finished: Promise<void>;
  start(): Promise<void>;
  stop(opts?: { drain?: boolean; timeoutMs?: number }): Promise<SimStats>;
  stats(): SimStats;
  injectFault(spec: FaultSpec): ActiveFault;
  clearFault(id: number): boolean;
  activeFaults(): ActiveFault[];
  /** Publishes a reading of this device now (e.g. after a command); normally the scheduler does this. */
  reportNow(deviceId: string): void;
}

export function parseSimulationOptions(options: SimulationOptions): ResolvedSimulationOptions {
  const parsed = simulationOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SimError(SimErrorCode.InvalidConfig, `option ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Builds the city and the fleet; `start()` provisions, connects and begins reporting. */
export function createSimulation(input: SimulationOptions, log: (msg: string) => void = () => {}): Simulation {
  const options = parseSimulationOptions(input);
  const city = generateCity({ seed: options.seed, devices: options.devices, ...(options.center ? { center: options.center } : {}) });
  const startT = options.start ?? Date.now();
  const endT = options.durationMs ? startT + options.durationMs : Infinity;
  const clock = options.clockAnchor !== undefined ? new SimClock(startT, options.speed, () => Date.now(), options.clockAnchor) : new SimClock(startT, options.speed);
  const world = new World(city, options.seed, startT, options.utcOffsetH, { collectAtPct: options.collectAtPct, pumpAtPct: options.pumpAtPct });
  const faults = new FaultInjector(city, world, options.seed);
  const scheduler = new Scheduler(clock, options.tickMs);
  const handles: DeviceHandle[] = city.devices.map((spec) => ({ id: spec.id, kind: spec.kind, zone: spec.zone, spec, firmware: null }));
  const byId = new Map(handles.map((h) => [h.id, h]));
  const reportsSent = new Map<string, number>();
  const garbageRng = Rng.derive(options.seed, 'garbage');
  let realStart = 0;
  let connectTimer: NodeJS.Timeout | null = null;
  let jobs: ServerJobsSource | null = null;
  let started = false;
  let stopped = false;
  let resolveFinished: () => void = () => {};
  const finished = new Promise<void>((r) => (resolveFinished = r));

  // A bin emptied or a tank pumped reports at once (sensors wake on such a jump), so proof of
  // service does not wait for the next periodic reading.
  world.onServiced = (deviceId, t) => {
    const h = byId.get(deviceId);
    if (h?.firmware && !stopped) scheduler.schedule(h.id, t, (at) => report(h, at));
  };

  const report = (h: DeviceHandle, at: number) => {
    const fw = h.firmware!;
    if (at >= endT || stopped) return;
    const t = Math.round(at);
    if (faults.has(h.id, 'sensor-offline', t)) {
      world.measure(h.id, t); // the world goes on; the sensor just does not tell
    } else {
      fw.record(t, world.measure(h.id, t));
      if (faults.has(h.id, 'garbage', t)) {
        const n = (reportsSent.get(h.id) ?? 0) + 1;
        reportsSent.set(h.id, n);
        if (n % options.garbageEvery === 0) {
          const kind = GARBAGE_KINDS[Math.floor(n / options.garbageEvery) % GARBAGE_KINDS.length]!;
          fw.sendGarbage(garbagePayload(h.kind, kind, t, () => fw.takeSeq(), garbageRng));
        }
      }
    }
    scheduler.schedule(h.id, world.nextReportAt(h.id, t), (next) => report(h, next));
  };

  const sim: Simulation = {
    city,
    world,
    clock,
    options,
    devices: handles,
    finished,

    async start() {
      if (started) throw new SimError(SimErrorCode.InvalidState, 'simulation already started');
      started = true;
      let secrets: Map<string, string>;
      if (options.credentials) {
        secrets = new Map(Object.entries(options.credentials));
      } else {
        if (!options.adminPassword) {
          throw new SimError(SimErrorCode.InvalidConfig, 'adminPassword is required to provision devices (flag --admin-password or env ADMIN_PASSWORD)');
        }
        const res = await provisionFleet(city, {
          serverUrl: options.serverUrl,
          adminUser: options.adminUser,
          adminPassword: options.adminPassword,
          credentialsFile: options.credentialsFile ?? defaultCredentialsPath(options.seed),
          log,
        });
        log(`provisioned: ${res.imported} imported, ${res.rotated} rotated, ${res.reused} reused, ${res.failed.length} refused`);
        for (const f of res.failed.slice(0, 5)) log(`refused ${f.deviceId}: ${f.error}`);
        secrets = res.secrets;
      }
      if (options.registerFleet && options.adminPassword) {
        const units = await provisionUnits(city, {
          serverUrl: options.serverUrl,
          adminUser: options.adminUser,
          adminPassword: options.adminPassword,
          ...(options.crewPassword ? { crewPassword: options.crewPassword } : {}),
          truckShift: (id) => world.truckShift(id),
          log,
        });
        log(`fleet: ${units.vehicles} vehicles, ${units.crews} crews, ${units.disposalSites} disposal sites, ${units.operators} crew accounts registered`);
      }
      if (options.followJobs) {
        if (!options.adminPassword) throw new SimError(SimErrorCode.InvalidConfig, 'followJobs needs adminPassword (the trucks\' jobs are read with it)');
        // The n-th truck's driver is driver-<n> (provisioning's numbering, tankers included).
        const trucks = city.devices.filter((d) => d.kind === 'truck');
        const drivers = new Map(trucks.flatMap((d, i) => (d.attributes['vehicleType'] === 'tanker' ? [] : [[d.id, truckCrewMember(i)] as const])));
        jobs = new ServerJobsSource({
          serverUrl: options.serverUrl,
          adminUser: options.adminUser,
          adminPassword: options.adminPassword,
          drivers,
          ...(options.crewPassword ? { crewPassword: options.crewPassword } : {}),
          speed: options.speed,
          pollSimMs: options.jobPollSimMs,
          minPollRealMs: options.jobPollMinRealMs,
          log,
        });
        world.jobSource = jobs;
      }
      for (const h of handles) {
        const secret = secrets.get(h.id);
        if (!secret) continue;
        h.firmware = new DeviceFirmware({
          deviceId: h.id,
          kind: h.kind,
          secret,
          mqttUrl: options.mqttUrl,
          bufferSize: options.bufferSize,
          maxBatch: options.maxBatch,
          maxInflightBatches: options.maxInflightBatches,
          keepaliveS: options.keepaliveS,
          minPublishIntervalMs: options.minPublishIntervalMs,
          connectTimeoutMs: options.connectTimeoutMs,
          backoffInitialMs: options.backoffInitialMs,
          backoffMaxMs: options.backoffMaxMs,
          now: () => clock.now(),
          onCommand: (cmd) => {
            const error = world.command(h.id, cmd, Math.round(clock.now()));
            // A switch is reported at once, so the operator sees the lamp follow the command.
            if (!error && cmd.action !== 'ping') setImmediate(() => sim.reportNow(h.id));
            return error;
          },
          onLog: log,
        });
      }
      for (const spec of options.faults) faults.inject(spec, startT);
      const fleet = handles.filter((h) => h.firmware);
      // Every device measures from the start; until its connection is up, readings wait in its buffer.
      for (const h of fleet) {
        const first = startT + h.spec.attributes.reportIntervalS! * 1000 * Rng.derive(options.seed, `phase-${h.id}`).next();
        scheduler.schedule(h.id, first, (at) => report(h, at));
      }
      clock.start();
      realStart = performance.now();
      scheduler.start();
      jobs?.start();
      let connected = 0;
      connectTimer = setInterval(() => {
        const due = Math.min(fleet.length, Math.floor(((performance.now() - realStart) / 1000) * options.connectRate) + 1);
        while (connected < due) fleet[connected++]!.firmware!.start();
        const now = clock.now();
        faults.expire(now);
        if (now >= endT) resolveFinished();
      }, 100);
    },

    async stop(opts = {}) {
      if (stopped) return sim.stats();
      stopped = true;
      scheduler.stop();
      if (connectTimer) clearInterval(connectTimer);
      clock.freeze();
      await jobs?.stop();
      const fleet = handles.map((h) => h.firmware).filter((f): f is DeviceFirmware => f !== null && f.started);
      if (opts.drain) {
        const timeout = opts.timeoutMs ?? options.drainTimeoutMs;
        const t0 = performance.now();
        const drained = await Promise.all(fleet.map((f) => f.drain(timeout)));
        log(`drain: ${drained.filter(Boolean).length}/${fleet.length} devices emptied their buffers in ${Math.round(performance.now() - t0)} ms`);
      }
      const snapshot = sim.stats();
      const t1 = performance.now();
      for (let i = 0; i < fleet.length; i += 500) await Promise.all(fleet.slice(i, i + 500).map((f) => f.stop()));
      log(`disconnected ${fleet.length} devices in ${Math.round(performance.now() - t1)} ms`);
      resolveFinished();
      return snapshot;
    },

    stats() {
      const perDevice: Record<string, DeviceStats> = {};
      const total = { connected: 0, published: 0, acked: 0, buffered: 0, sendFailures: 0, dropped: 0, garbageSent: 0, garbageAcked: 0 };
      for (const h of handles) {
        const fw = h.firmware;
        if (!fw) continue;
        const d: DeviceStats = { kind: h.kind, ...fw.counters, connected: fw.isConnected, buffered: fw.buffer.size };
        perDevice[h.id] = d;
        total.connected += d.connected ? 1 : 0;
        total.published += d.published;
        total.acked += d.acked;
        total.buffered += d.buffered;
        total.sendFailures += d.sendFailures;
        total.dropped += d.dropped;
        total.garbageSent += d.garbageSent;
        total.garbageAcked += d.garbageAcked;
      }
      const now = clock.now();
      const realElapsedMs = started ? performance.now() - realStart : 0;
      return {
        simTime: new Date(now).toISOString(),
        simElapsedMs: now - startT,
        realElapsedMs,
        devices: Object.keys(perDevice).length,
        ...total,
        readingsPerSec: realElapsedMs > 0 ? total.published / (realElapsedMs / 1000) : 0,
        perDevice,
      };
    },

    injectFault(spec) {
      return faults.inject(spec, Math.round(clock.now()));
    },

    clearFault(id) {
      return faults.clear(id, Math.round(clock.now()));
    },

    activeFaults() {
      return faults.list();
    },

    reportNow(deviceId) {
      const h = byId.get(deviceId);
      if (!h?.firmware || stopped) return;
      const t = Math.max(Math.round(clock.now()), world.get(deviceId).t);
      scheduler.schedule(h.id, t, (at) => report(h, at));
      scheduler.tick();
    },
  };
  return sim;
}
