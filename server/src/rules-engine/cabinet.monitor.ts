import { CABINET_SUBJECT_PREFIX } from '@sanitation/contracts';
import type { DeviceDirectory, DeviceInfo } from '../devices/device-directory.js';
import {
  evaluateCabinet,
  type CabinetDecision,
  type CabinetFaultState,
  type CabinetOptions,
  type LampFailure,
} from '../rules/streetlight/cabinet-aggregation.js';
import type { ConditionTracker } from './condition-tracker.js';
import { report } from './evaluation.js';

export const cabinetSubject = (cabinetId: string): string => `${CABINET_SUBJECT_PREFIX}${cabinetId}`;

interface CabinetInfo {
  lamps: DeviceInfo[];
  lat: number;
  lon: number;
  zone: string | null;
}

/**
 * Lamp failures of lamps on a cabinet big enough to aggregate go through here instead of straight
 * to the sink: held back until the neighbours reported (cabinetHoldIndividualMin), then either one
 * cabinet-fault for the cabinet (absorbing the lamp faults) or individual lamp-failure raises.
 */
export class CabinetMonitor {
  private readonly failing = new Map<string, Map<string, LampFailure>>();
  private readonly faults = new Map<string, CabinetFaultState>();
  /** Cabinet faults found open at start-up: not judged until their lamps had time to report again. */
  private readonly seededUntil = new Map<string, number>();
  private cabinets: Map<string, CabinetInfo> | null = null;

  constructor(
    private readonly directory: DeviceDirectory,
    private readonly tracker: ConditionTracker,
    private options: CabinetOptions,
  ) {}

  setOptions(options: CabinetOptions): void {
    this.options = options;
  }

  /** The registry changed: regroup lamps by cabinet on next use. */
  invalidate(): void {
    this.cabinets = null;
  }

  /** Start-up: a cabinet fault the database holds open is kept until `until` (then judged from fresh readings). */
  seed(cabinetId: string, now: number, until: number): void {
    this.faults.set(cabinetId, { cabinetId, openedAt: now, since: Number.NEGATIVE_INFINITY, coveredDeviceIds: [] });
    this.seededUntil.set(cabinetId, until);
  }

  /** True when the lamp's failure is the cabinet monitor's business (do not raise it directly). */
  aggregates(lamp: DeviceInfo): boolean {
    const cabinetId = lamp.attributes.cabinetId;
    return cabinetId !== undefined && (this.cabinet(cabinetId)?.lamps.length ?? 0) >= this.options.minCabinetLamps;
  }

  lampFailed(lamp: DeviceInfo, failure: LampFailure, at: number): void {
    const cabinetId = lamp.attributes.cabinetId!;
    let lamps = this.failing.get(cabinetId);
    if (!lamps) this.failing.set(cabinetId, (lamps = new Map()));
    if (lamps.has(lamp.deviceId)) return;
    lamps.set(lamp.deviceId, failure);
    this.evaluate(cabinetId, at);
  }

  lampRecovered(lamp: DeviceInfo, at: number): void {
    const cabinetId = lamp.attributes.cabinetId;
    if (cabinetId === undefined || !this.failing.get(cabinetId)?.delete(lamp.deviceId)) return;
    this.evaluate(cabinetId, at);
  }

  /** Scheduler: releases held lamp faults, clears cabinet faults whose lamps came back. */
  evaluateAll(now: number): void {
    const ids = new Set([...this.failing.keys(), ...this.faults.keys()]);
    for (const id of ids) this.evaluate(id, now);
  }

  private evaluate(cabinetId: string, at: number): void {
    const until = this.seededUntil.get(cabinetId);
    if (until !== undefined) {
      if (at < until) return;
      this.seededUntil.delete(cabinetId);
    }
    const info = this.cabinet(cabinetId);
    const failing = [...(this.failing.get(cabinetId)?.values() ?? [])];
    const decision = evaluateCabinet(this.faults.get(cabinetId) ?? null, { cabinetId, lampCount: info?.lamps.length ?? 0, failing }, at, this.options);
    this.apply(decision, info, at);
    if (decision.next) this.faults.set(cabinetId, decision.next);
    else this.faults.delete(cabinetId);
    if (!failing.length) this.failing.delete(cabinetId);
  }

  private apply(d: CabinetDecision, info: CabinetInfo | undefined, at: number): void {
    const subject = cabinetSubject(d.cabinetId);
    if (d.condition) {
      this.tracker.raise({
        subjectId: subject,
        deviceKind: 'streetlight',
        cause: 'cabinet-fault',
        at,
        lat: info?.lat ?? 0,
        lon: info?.lon ?? 0,
        zone: info?.zone ?? null,
        message: d.condition.detail,
        details: { cabinetId: d.cabinetId, code: d.condition.code, lampIds: d.coveredLampFaults.map((f) => f.deviceId), lampCount: info?.lamps.length ?? 0 },
      });
      for (const f of d.coveredLampFaults) this.tracker.clear(f.deviceId, 'lamp-failure', at, `absorbed by the fault of cabinet ${d.cabinetId}`);
    } else if (d.transition === 'cleared') {
      this.tracker.clear(subject, 'cabinet-fault', at, 'most lamps of the cabinet work again');
    }
    for (const f of d.individualLampFaults) {
      const lamp = this.directory.get(f.deviceId);
      if (!lamp) continue;
      this.tracker.raise(report(lamp, 'lamp-failure', f.since, `lamp failure (${f.code ?? 'lamp-failure'})`, { code: f.code, cabinetId: d.cabinetId }));
    }
  }

  private cabinet(cabinetId: string): CabinetInfo | undefined {
    if (!this.cabinets) {
      const groups = new Map<string, DeviceInfo[]>();
      for (const d of this.directory.all()) {
        const id = d.kind === 'streetlight' && !d.revoked ? d.attributes.cabinetId : undefined;
        if (id === undefined) continue;
        let lamps = groups.get(id);
        if (!lamps) groups.set(id, (lamps = []));
        lamps.push(d);
      }
      this.cabinets = new Map([...groups].map(([id, lamps]) => [id, summarize(lamps)]));
    }
    return this.cabinets.get(cabinetId);
  }
}

/** Centroid and most common zone of a cabinet's lamps: where the crew goes, which zone it belongs to. */
function summarize(lamps: DeviceInfo[]): CabinetInfo {
  const zones = new Map<string | null, number>();
  let lat = 0;
  let lon = 0;
  for (const l of lamps) {
    lat += l.lat;
    lon += l.lon;
    zones.set(l.zone, (zones.get(l.zone) ?? 0) + 1);
  }
  const zone = [...zones].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return { lamps, lat: lat / lamps.length, lon: lon / lamps.length, zone };
}
