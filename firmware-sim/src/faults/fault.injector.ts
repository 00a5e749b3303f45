import type { City } from '../city/city.types.js';
import type { FaultFlags } from '../physics/physics.types.js';
import type { World } from '../physics/world.js';
import { Rng } from '../shared/rng.js';
import { SimError, SimErrorCode } from '../shared/sim.exception.js';
import { FAST_FILL_DEFAULT_PCT_H, FAULT_TARGET_KINDS, faultSpecSchema, type FaultSpec, type FaultType } from './fault.types.js';

const SENSOR_OFFLINE_DEFAULT_MS = 2 * 3_600_000;

export interface ActiveFault {
  id: number;
  type: FaultType;
  /** Device ids affected (for cabinet-outage: every lamp of the cabinets). */
  deviceIds: string[];
  cabinetIds?: string[];
  from: number;
  until: number;
  /** `fast-fill`: extra fill, percent per sim hour. */
  ratePctH?: number;
}

type BooleanFlag = { [K in keyof FaultFlags]-?: FaultFlags[K] extends boolean | undefined ? K : never }[keyof FaultFlags];
const FLAG_OF: Partial<Record<FaultType, BooleanFlag>> = {
  'lamp-failure': 'lampFailure',
  'day-burning': 'dayBurning',
  'cabinet-outage': 'cabinetOutage',
  'bin-fire': 'binFire',
  'bin-tilt': 'binTilt',
  'gas-spike': 'gasSpike',
  'skip-disposal': 'skipDisposal',
  'off-route': 'offRoute',
  breakdown: 'brokenDown',
};

/** Turns fault specs into per-device effects: physics flags, silent sensors, garbage senders. */
export class FaultInjector {
  private readonly active = new Map<number, ActiveFault>();
  private nextId = 1;

  constructor(
    private readonly city: City,
    private readonly world: World,
    private readonly seed: number,
  ) {}

  list(): ActiveFault[] {
    return [...this.active.values()];
  }

  inject(input: FaultSpec, t: number): ActiveFault {
    const parsed = faultSpecSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SimError(SimErrorCode.InvalidFault, `fault ${issue.path.join('.') || 'spec'}: ${issue.message}`);
    }
    const spec = parsed.data;
    const id = this.nextId++;
    const rng = Rng.derive(this.seed, `fault-${spec.type}-${id}`);
    let deviceIds: string[];
    let cabinetIds: string[] | undefined;
    if (spec.type === 'cabinet-outage') {
      const cabinets = spec.targets
        ? spec.targets.map((cid) => this.city.cabinets.find((c) => c.id === cid) ?? this.unknown(cid))
        : rng.shuffle([...this.city.cabinets]).slice(0, spec.count ?? 1);
      cabinetIds = cabinets.map((c) => c.id);
      deviceIds = cabinets.flatMap((c) => c.lampIds);
    } else if (spec.targets) {
      const kinds = FAULT_TARGET_KINDS[spec.type];
      deviceIds = spec.targets.map((did) => {
        const rt = this.world.devices.get(did) ?? this.unknown(did);
        if (!kinds.includes(rt.kind)) throw new SimError(SimErrorCode.InvalidFault, `${spec.type} cannot hit ${did} (a ${rt.kind})`);
        if (spec.type === 'skip-disposal' && rt.spec.attributes['vehicleType'] !== 'tanker') {
          throw new SimError(SimErrorCode.InvalidFault, `skip-disposal cannot hit ${did} (not a tanker)`);
        }
        return did;
      });
    } else {
      const kinds = FAULT_TARGET_KINDS[spec.type];
      const pool = this.city.devices
        .filter((d) => kinds.includes(d.kind) && (spec.type !== 'skip-disposal' || d.attributes['vehicleType'] === 'tanker'))
        .map((d) => d.id);
      deviceIds = rng.shuffle(pool).slice(0, spec.count ?? 1);
    }
    const duration = spec.durationMs ?? (spec.type === 'sensor-offline' ? SENSOR_OFFLINE_DEFAULT_MS : Infinity);
    const fault: ActiveFault = { id, type: spec.type, deviceIds, ...(cabinetIds ? { cabinetIds } : {}), from: t, until: t + duration };
    if (spec.type === 'fast-fill') fault.ratePctH = spec.ratePctH ?? FAST_FILL_DEFAULT_PCT_H;
    this.active.set(id, fault);
    this.refresh(deviceIds, t);
    return fault;
  }

  clear(id: number, t: number): boolean {
    const fault = this.active.get(id);
    if (!fault) return false;
    this.active.delete(id);
    this.refresh(fault.deviceIds, t);
    return true;
  }

  /** Ends faults whose time is up. */
  expire(t: number): void {
    for (const fault of [...this.active.values()]) if (fault.until <= t) this.clear(fault.id, t);
  }

  has(deviceId: string, type: FaultType, t: number): boolean {
    for (const f of this.active.values()) if (f.type === type && f.from <= t && t < f.until && f.deviceIds.includes(deviceId)) return true;
    return false;
  }

  private refresh(deviceIds: string[], t: number): void {
    for (const id of deviceIds) {
      const flags: FaultFlags = {};
      for (const f of this.active.values()) {
        if (!f.deviceIds.includes(id)) continue;
        const flag = FLAG_OF[f.type];
        if (flag) flags[flag] = true;
        if (f.ratePctH) flags.fastFillPctH = (flags.fastFillPctH ?? 0) + f.ratePctH;
      }
      this.world.setFaults(id, flags, t);
    }
  }

  private unknown(id: string): never {
    throw new SimError(SimErrorCode.UnknownDevice, `no device or cabinet "${id}" in this city`);
  }
}
