import type { DeviceCommand, DeviceKind, ReadingValues } from '@sanitation/contracts';
import type { City, DeviceSpec, ZoneType } from '../city/city.types.js';
import { REPORT_INTERVAL_S } from '../city/device-placement.builder.js';
import { shortestPath } from '../city/route.planner.js';
import type { TruckJobSource } from '../dispatch/assigned-stops.js';
import { TruckAssignments } from '../dispatch/truck-assignments.js';
import { haversineM } from '../shared/geo.js';
import { Rng } from '../shared/rng.js';
import { detourPath, routeStreets, spliceDetour } from './detour.js';
import { emptyBin, initBin, readBin, stepBin, type BinParams, type BinState } from './bin.model.js';
import { HOUR_MS, type Env, type FaultFlags } from './physics.types.js';
import { initSeptic, pumpSeptic, readSeptic, stepSeptic, type SepticParams, type SepticState } from './septic.model.js';
import { commandLamp, initStreetlight, nextSwitchAt, readStreetlight, stepStreetlight, type StreetlightParams, type StreetlightState } from './streetlight.model.js';
import { SunSchedule } from './sun-schedule.js';
import { initToilet, readToilet, stepToilet, type ToiletParams, type ToiletState } from './toilet.model.js';
import { hoursToShiftStart, inShift, shiftHhmm } from './truck-shift.js';
import { initTruck, parkTruck, readTruck, routeTruck, stepTruck, type TruckDestination, type TruckParams, type TruckState } from './truck.model.js';

/** A truck stopping within this distance empties a bin. */
export const COLLECT_RADIUS_M = 30;
const TRUCK_STEP_MS = 30_000;
const PARKED_REPORT_MS = 15 * 60_000;
/** Defaults of WorldOptions. */
export const WORLD_DEFAULTS = {
  collectAtPct: 50, // collection trucks go for bins at least this full, percent
  pumpAtPct: 70, // tankers go for septic tanks at least this full, percent
} as const;
const SEWAGE_KG_M3 = 1000;
const WASTE_DENSITY_KG_L = 0.2;
const LOAD_FULL_FRACTION = 0.85;

interface Base<K extends DeviceKind, S, P> {
  kind: K;
  spec: DeviceSpec;
  rng: Rng;
  /** Sim time the state was last advanced to. */
  t: number;
  state: S;
  params: P;
  faults: FaultFlags;
}
export type DeviceRuntime =
  | Base<'bin', BinState, BinParams>
  | Base<'toilet', ToiletState, ToiletParams>
  | Base<'septic', SepticState, SepticParams>
  | Base<'streetlight', StreetlightState, StreetlightParams>
  | Base<'truck', TruckState, TruckParams & { serviceZones: string[]; shiftOffsetH: number; tanker: boolean }>;
type TruckRuntime = Extract<DeviceRuntime, { kind: 'truck' }>;

export interface WorldOptions {
  /** Collection trucks go for the fullest bin at least this full (percent). */
  collectAtPct?: number;
  /** Tankers go for the fullest septic tank at least this full (percent). */
  pumpAtPct?: number;
}

/** Local hour a truck's shift starts/ends (before its own offset). */

/**
 * The physical world: every device's state, advanced lazily to the time it is measured, plus the
 * interactions between devices (a stopping truck empties the bins next to it).
 */
export class World {
  readonly env: Env;
  readonly sun: SunSchedule;
  readonly devices = new Map<string, DeviceRuntime>();
  private readonly binsByZone = new Map<string, DeviceRuntime[]>();
  private readonly binGrid = new Map<string, DeviceRuntime[]>();
  private readonly tanksByZone = new Map<string, DeviceRuntime[]>();
  private readonly claimedBins = new Map<string, string>();
  private readonly options: Required<WorldOptions>;
  /** Called when a truck empties a bin or pumps a tank (sim time): a sensor reports such a jump at once. */
  onServiced: (deviceId: string, t: number) => void = () => {};
  /**
   * The server's assignments: a collection truck with assigned jobs serves them in order and chooses
   * bins itself only without any. Null: every truck chooses itself (the fullest bin of its zones).
   */
  set jobSource(source: TruckJobSource | null) {
    this.assignments = source ? new TruckAssignments(source) : null;
  }
  private assignments: TruckAssignments | null = null;

  constructor(
    readonly city: City,
    seed: number,
    startT: number,
    utcOffsetH = 8,
    options: WorldOptions = {},
  ) {
    this.options = { ...WORLD_DEFAULTS, ...options };
    this.env = { utcOffsetH, lat: city.center.lat, lon: city.center.lon };
    this.sun = new SunSchedule(this.env);
    const zoneType = new Map<string, ZoneType>(city.zones.map((z) => [z.id, z.type]));
    const depotNode = new Map(city.depots.map((d) => [d.id, d.nodeId]));
    const tankerZones = new Set(city.devices.filter((d) => d.attributes['vehicleType'] === 'tanker').flatMap((d) => d.serviceZones ?? [d.zone]));
    for (const spec of city.devices) {
      const rng = Rng.derive(seed, spec.id);
      const a = spec.attributes;
      const base = { spec, rng, t: startT, faults: {} };
      let rt: DeviceRuntime;
      switch (spec.kind) {
        case 'bin':
          rt = { ...base, kind: 'bin', state: initBin(rng), params: { zoneType: zoneType.get(spec.zone) ?? 'mixed', capacityL: a.capacityL ?? 240, usage: rng.range(0.6, 1.4) } };
          break;
        case 'toilet':
          rt = { ...base, kind: 'toilet', state: initToilet(startT, rng), params: { stalls: a.stalls ?? 8, zoneType: zoneType.get(spec.zone) ?? 'mixed' } };
          break;
        case 'septic':
          rt = { ...base, kind: 'septic', state: initSeptic(rng), params: { tankM3: a.tankM3 ?? 50, daysToFill: rng.range(20, 60), served: tankerZones.has(spec.zone) } };
          break;
        case 'streetlight':
          rt = {
            ...base, kind: 'streetlight', state: initStreetlight(),
            params: { ratedPowerW: a.ratedPowerW ?? 150, offsetMs: rng.range(-4, 4) * 60_000, failureMode: rng.chance(0.5) ? 'relay' : 'lamp' },
          };
          rt.state = stepStreetlight(rt.state, rt.params, this.sun, startT, 0, rng);
          break;
        case 'truck': {
          const params = { payloadKg: a.payloadKg ?? 5000, depotNode: depotNode.get(String(a['depot'])) ?? spec.nodeId, serviceZones: spec.serviceZones ?? [spec.zone], shiftOffsetH: rng.range(-0.5, 0.5), tanker: a['vehicleType'] === 'tanker' };
          rt = { ...base, kind: 'truck', state: initTruck(city, params), params };
          break;
        }
      }
      this.devices.set(spec.id, rt);
      if (rt.kind === 'septic') this.tanksByZone.set(spec.zone, [...(this.tanksByZone.get(spec.zone) ?? []), rt]);
      if (rt.kind === 'bin') {
        const list = this.binsByZone.get(spec.zone) ?? [];
        list.push(rt);
        this.binsByZone.set(spec.zone, list);
        const key = this.cellKey(spec.lat, spec.lon);
        const cell = this.binGrid.get(key) ?? [];
        cell.push(rt);
        this.binGrid.set(key, cell);
      }
    }
  }

  get(deviceId: string): DeviceRuntime {
    const rt = this.devices.get(deviceId);
    if (!rt) throw new Error(`unknown device ${deviceId}`);
    return rt;
  }

  /** Advances the device to `t` and returns its sensor values (what the firmware would publish). */
  measure(deviceId: string, t: number): ReadingValues {
    const rt = this.get(deviceId);
    this.advance(rt, t);
    switch (rt.kind) {
      case 'bin':
        return readBin(rt.state, rt.rng);
      case 'toilet': {
        const { reading, state } = readToilet(rt.state, rt.params);
        rt.state = state;
        return reading;
      }
      case 'septic':
        return readSeptic(rt.state);
      case 'streetlight':
        return readStreetlight(rt.state);
      case 'truck':
        return readTruck(rt.state);
    }
  }

  /** When the device should report next (sim time), with ±10 % jitter; lamps also on every switch. */
  nextReportAt(deviceId: string, t: number): number {
    // Whole milliseconds, strictly later: readings carry integer `ts`, and a time rounded back below
    // a switching point would schedule the same switch again and again.
    return Math.max(Math.floor(t) + 1, Math.ceil(this.nextReportRaw(deviceId, t)));
  }

  private nextReportRaw(deviceId: string, t: number): number {
    const rt = this.get(deviceId);
    // In shift a parked truck may leave at any step: its tracker reports every step, or a whole trip
    // (drive, stop at a bin, drive back) could fall between two reports and never show.
    if (rt.kind === 'truck') {
      const off = rt.params.shiftOffsetH;
      if (rt.state.ignition || this.inShift(t, off)) return t + TRUCK_STEP_MS;
      // Parked off shift: every 15 min, and at the shift's start (it may leave right away).
      const toStartH = hoursToShiftStart(t, this.env, off);
      return Math.min(t + PARKED_REPORT_MS, t + Math.max(TRUCK_STEP_MS, toStartH * HOUR_MS));
    }
    const periodic = t + REPORT_INTERVAL_S[rt.kind] * 1000 * rt.rng.range(0.9, 1.1);
    if (rt.kind === 'streetlight') {
      const sw = nextSwitchAt(t, rt.params, this.sun);
      const ov = rt.state.override && rt.state.override.until > t ? rt.state.override.until : Infinity;
      return Math.min(periodic, sw, ov);
    }
    return periodic;
  }

  /** Applies an operator command; returns an error text when the device cannot do it. */
  command(deviceId: string, cmd: DeviceCommand, t: number): string | null {
    const rt = this.get(deviceId);
    if (cmd.action === 'ping') return null;
    if (rt.kind !== 'streetlight') return `${rt.kind} does not support "${cmd.action}"`;
    this.advance(rt, t);
    const change = cmd.action === 'dim' ? { dimPct: cmd.dimPct } : { lampOn: cmd.action === 'on' };
    rt.state = commandLamp(rt.state, change, t, rt.params, this.sun);
    // Re-evaluate right away (zero-length step) so the next reading shows the new level.
    rt.state = stepStreetlight(rt.state, rt.params, this.sun, t, 0, rt.rng, rt.faults);
    return null;
  }

  /** Sets the device's active faults from sim time `t` on (the state up to `t` is computed without them). */
  setFaults(deviceId: string, faults: FaultFlags, t: number): void {
    const rt = this.get(deviceId);
    this.advance(rt, t);
    const was = rt.faults;
    rt.faults = faults;
    if (rt.kind !== 'truck') return;
    // A truck told to leave its route mid-trip turns off at the next junction.
    if (faults.offRoute && !was.offRoute && rt.state.phase === 'driving') rt.state = spliceDetour(this.city, rt.state, this.routeNodes(rt));
    // A broken-down truck stands where it is, engine off, and gives up its trip (its bin is free again).
    if (faults.brokenDown && !was.brokenDown) {
      rt.state = parkTruck({ ...rt.state, dest: null, path: [], pathIdx: 0, segPosM: 0 });
      for (const [bin, truck] of this.claimedBins) if (truck === rt.spec.id) this.claimedBins.delete(bin);
    }
  }

  private advance(rt: DeviceRuntime, t: number): void {
    if (t < rt.t) return;
    const dt = t - rt.t;
    switch (rt.kind) {
      case 'bin':
        rt.state = stepBin(rt.state, rt.params, this.env, rt.t, dt, rt.rng, rt.faults);
        break;
      case 'toilet':
        rt.state = stepToilet(rt.state, rt.params, this.env, rt.t, dt, rt.rng, rt.faults);
        break;
      case 'septic':
        rt.state = stepSeptic(rt.state, rt.params, this.env, rt.t, dt, rt.rng, rt.faults);
        break;
      case 'streetlight':
        rt.state = stepStreetlight(rt.state, rt.params, this.sun, t, dt, rt.rng, rt.faults);
        break;
      case 'truck':
        this.advanceTruck(rt, t);
        return;
    }
    rt.t = t;
  }

  /** A truck's shift as local HH:MM (each truck's is offset by up to ±30 min). */
  truckShift(truckId: string): { start: string; end: string } {
    const rt = this.get(truckId);
    return shiftHhmm(rt.kind === 'truck' ? rt.params.shiftOffsetH : 0);
  }

  private inShift(t: number, offsetH: number): boolean {
    return inShift(t, this.env, offsetH);
  }

  private advanceTruck(rt: TruckRuntime, t: number): void {
    if (rt.faults.brokenDown) rt.t = Math.max(rt.t, t);
    while (rt.t < t) {
      const dt = Math.min(TRUCK_STEP_MS, t - rt.t);
      this.dispatch(rt, rt.t);
      const { state, events } = stepTruck(rt.state, this.city, rt.t, dt, rt.rng);
      rt.state = state;
      for (const ev of events) {
        if (ev.type !== 'arrived') continue;
        if (ev.dest.kind === 'bin') {
          this.claimedBins.delete(ev.dest.binId);
          if (ev.dest.jobId) this.assignments?.arrived(rt.spec.id, ev.dest.jobId, ev.t);
          rt.state.loadKg += this.collectAround(ev.lat, ev.lon, ev.t);
        } else if (ev.dest.kind === 'septic') {
          this.claimedBins.delete(ev.dest.tankId);
          rt.state.loadKg = Math.min(rt.params.payloadKg, rt.state.loadKg + this.pump(ev.dest.tankId, ev.t) * SEWAGE_KG_M3);
        } else if (ev.dest.kind === 'depot') {
          // A tanker skipping the disposal site empties its load where it should not (the custody breach).
          if (rt.params.tanker && rt.faults.skipDisposal) rt.state.loadKg = 0;
          if (!this.inShift(ev.t, rt.params.shiftOffsetH)) rt.state = parkTruck(rt.state);
        }
      }
      rt.t += dt;
    }
  }

  /** Decides what an idle (or just woken) truck does next. */
  private dispatch(rt: TruckRuntime, t: number): void {
    const s = rt.state;
    const shift = this.inShift(t, rt.params.shiftOffsetH);
    if (s.phase === 'parked') {
      if (!shift && !(rt.params.tanker && s.loadKg > 0)) return;
      rt.state = { ...s, phase: 'idle', ignition: true };
    }
    if (rt.state.phase !== 'idle') return;
    const go = (to: number, dest: TruckDestination) => {
      rt.state = routeTruck(rt.state, this.pathFor(rt, to), dest);
    };
    const atDepot = rt.state.nodeId === rt.params.depotNode;
    const home = () => (atDepot ? void (rt.state = parkTruck(rt.state)) : go(rt.params.depotNode, { kind: 'depot' }));
    if (rt.params.tanker) {
      // Sewage goes straight to a disposal site (chain of custody), whatever the hour.
      if (rt.state.loadKg > 0) {
        if (rt.faults.skipDisposal) return atDepot ? void (rt.state.loadKg = 0) : go(rt.params.depotNode, { kind: 'depot' });
        const site = this.nearestDisposal(rt.state);
        if (site) return go(site.nodeId, { kind: 'disposal', siteId: site.id });
      }
      const tank = shift ? this.fullest(this.tanksByZone, rt.params.serviceZones, this.options.pumpAtPct) : null;
      if (!tank) return home();
      this.claimedBins.set(tank.spec.id, rt.spec.id);
      return go(tank.spec.nodeId, { kind: 'septic', tankId: tank.spec.id });
    }
    if (rt.state.loadKg >= rt.params.payloadKg * LOAD_FULL_FRACTION || (!shift && rt.state.loadKg > 0)) return go(this.city.transfer.nodeId, { kind: 'transfer' });
    const job = shift ? this.assignments?.next(rt.spec.id, (id) => this.devices.get(id)?.kind === 'bin') : null;
    if (job) {
      this.claimedBins.set(job.deviceId, rt.spec.id);
      go(this.get(job.deviceId).spec.nodeId, { kind: 'bin', binId: job.deviceId, jobId: job.jobId });
      return this.assignments!.setOff(rt.spec.id, job.jobId, t);
    }
    const bin = shift ? this.fullest(this.binsByZone, rt.params.serviceZones, this.options.collectAtPct) : null;
    if (!bin) return home(); // nothing to collect: wait at the depot, engine off
    this.claimedBins.set(bin.spec.id, rt.spec.id);
    return go(bin.spec.nodeId, { kind: 'bin', binId: bin.spec.id });
  }

  /** The fullest unclaimed bin or tank of these zones at or above `minPct`. */
  private fullest(index: Map<string, DeviceRuntime[]>, zones: string[], minPct: number): DeviceRuntime | null {
    let best: DeviceRuntime | null = null;
    let bestPct = minPct;
    for (const zone of zones) {
      for (const d of index.get(zone) ?? []) {
        if (this.claimedBins.has(d.spec.id) || (d.kind === 'bin' && this.assignments?.isAssigned(d.spec.id))) continue;
        const pct = d.kind === 'bin' ? d.state.fillPct : d.kind === 'septic' ? d.state.levelPct : -1;
        if (pct >= bestPct) [best, bestPct] = [d, pct];
      }
    }
    return best;
  }

  /** The street path to `to`; a truck with the off-route fault goes by way of a junction away from its route. */
  private pathFor(rt: TruckRuntime, to: number): number[] {
    return rt.faults.offRoute ? detourPath(this.city, rt.state.nodeId, to, this.routeNodes(rt)) : shortestPath(this.city, rt.state.nodeId, to);
  }

  /** The streets of the truck's route as it knows it: from its depot through the stops still ahead, and home. */
  private routeNodes(rt: TruckRuntime): number[] {
    const stops = (this.assignments?.ahead(rt.spec.id) ?? []).map((id) => this.devices.get(id)?.spec.nodeId).filter((n): n is number => n !== undefined);
    return routeStreets(this.city, [rt.params.depotNode, ...stops, rt.params.depotNode]);
  }

  private nearestDisposal(at: { lat: number; lon: number }) {
    let best = null;
    let bestD = Infinity;
    for (const site of this.city.disposalSites) {
      const d = haversineM(site, at);
      if (d < bestD) [best, bestD] = [site, d];
    }
    return best;
  }

  /** A tanker pumps the tank out; returns the cubic metres taken. */
  private pump(tankId: string, t: number): number {
    const tank = this.get(tankId);
    if (tank.kind !== 'septic') return 0;
    this.advance(tank, Math.max(t, tank.t));
    const { state, pumpedM3 } = pumpSeptic(tank.state, tank.params, tank.rng);
    tank.state = state;
    this.onServiced(tankId, Math.max(t, tank.t));
    return pumpedM3;
  }

  /** Empties every bin within COLLECT_RADIUS_M of the stop; returns the kilograms collected. */
  collectAround(lat: number, lon: number, t: number): number {
    let kg = 0;
    const [cx, cy] = this.cell(lat, lon);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const bin of this.binGrid.get(`${cx + dx}:${cy + dy}`) ?? []) {
          if (bin.kind !== 'bin' || haversineM(bin.spec, { lat, lon }) > COLLECT_RADIUS_M) continue;
          this.advance(bin, Math.max(t, bin.t));
          const { state, collectedPct } = emptyBin(bin.state, bin.rng);
          bin.state = state;
          this.onServiced(bin.spec.id, bin.t);
          kg += (collectedPct / 100) * bin.params.capacityL * WASTE_DENSITY_KG_L;
        }
      }
    }
    return kg;
  }

  private cell(lat: number, lon: number): [number, number] {
    // ~60 m cells: a 3×3 neighbourhood always covers the 30 m radius.
    const y = Math.floor((lat * 111_320) / 60);
    const x = Math.floor((lon * 111_320 * Math.cos((this.city.center.lat * Math.PI) / 180)) / 60);
    return [x, y];
  }

  private cellKey(lat: number, lon: number): string {
    const [x, y] = this.cell(lat, lon);
    return `${x}:${y}`;
  }
}

