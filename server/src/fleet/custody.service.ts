import { Inject, Injectable } from '@nestjs/common';
import type { Custody, DisposalSite, ListCustodyQuery } from '@sanitation/contracts';
import { INCIDENT_SINK, type IncidentSink } from '../alarms/incident-sink.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { SerialQueue } from '../common/serial-queue.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { CustodyRepository } from './custody.repository.js';
import { FleetLiveStore } from './fleet-live.store.js';
import { FLEET_JOBS, SYSTEM, type FleetJobs } from './fleet-jobs.port.js';
import { FleetUnitsService } from './fleet-units.service.js';
import { FLEET_DEFAULTS } from './fleet.defaults.js';
import type { VehicleRecord } from './fleet.repository.js';
import { withinM } from '../common/geo.js';
import { firstDrop, levelAt, type DropOptions } from './level-proof.js';
import { SepticTanksCache } from './septic-tanks.cache.js';
import { ServiceJobsCache } from './service-jobs.cache.js';
import type { StopEpisode } from './stop-detector.js';

/** A septic tanker stopped at a tank; waiting for the tank to report its level fell. */
interface PendingPump {
  tankId: string;
  vehicle: VehicleRecord;
  jobId: string | null;
  since: number;
  after: number;
  levelBefore: number | null;
}

const TANK_DROP: DropOptions = { dropPct: FLEET_DEFAULTS.LEVEL_DROP_PCT, emptyPct: null };
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Septic chain of custody. Stop at a tank + the tank's level falling ≥ 30 points = a pump: a custody
 * row with a deadline. A stop inside a disposal site's radius closes the tanker's open custodies and
 * completes their pumping jobs. The periodic deadline check raises `custody-breach` on the tanker
 * for a custody past its deadline, once.
 */
@Injectable()
export class CustodyService {
  private readonly pendingByTank = new Map<string, PendingPump>();
  /** Per tanker device: its recent disposal-site stops (a tank's drop may be confirmed after the tanker unloaded). */
  private readonly disposalStops = new Map<string, { siteId: string; at: number }[]>();
  private readonly queue: SerialQueue;
  private readonly logger: Logger;

  constructor(
    private readonly custody: CustodyRepository,
    private readonly live: FleetLiveStore,
    private readonly units: FleetUnitsService,
    private readonly tanks: SepticTanksCache,
    private readonly cache: ServiceJobsCache,
    private readonly devices: DevicesRepository,
    @Inject(FLEET_JOBS) private readonly jobs: FleetJobs,
    @Inject(INCIDENT_SINK) private readonly incidents: IncidentSink,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'fleet-custody' });
    this.queue = new SerialQueue((err) => this.logger.warn({ err }, 'custody step failed'));
  }

  onStop(vehicle: VehicleRecord, stop: StopEpisode): Promise<void> {
    if (vehicle.skill !== 'septic') return Promise.resolve();
    return this.queue.run(async () => {
      const site = this.units.disposalSites().find((s) => withinM(s, stop, s.radiusM));
      if (site) return this.disposed(vehicle, site, stop.since);
      for (const tank of await this.tanks.near(stop, FLEET_DEFAULTS.GEOFENCE_M)) {
        const after = stop.arrivedAfter ?? stop.since;
        const levelBefore = levelAt(this.live.levelHistory(tank.id), after)?.pct ?? null;
        const job = await this.cache.openAt('pumping', tank.id);
        this.pendingByTank.set(tank.id, { tankId: tank.id, vehicle, jobId: job?.jobId ?? null, since: stop.since, after, levelBefore });
        if (job) {
          await this.jobs.recordProof(job.jobId, { stopVehicleId: vehicle.vehicleId, stopAt: iso(stop.since), ...(levelBefore === null ? {} : { levelBefore }) }, SYSTEM);
        }
        await this.checkPump(tank.id);
      }
    });
  }

  /** A septic tank reported its level (already in the live store). */
  onTankLevel(tankId: string): Promise<void> {
    if (!this.pendingByTank.has(tankId)) return Promise.resolve();
    return this.queue.run(() => this.checkPump(tankId));
  }

  /** Periodic (clock time): custodies past their deadline raise `custody-breach` once. */
  runDeadlines(now: number): Promise<void> {
    return this.queue.run(async () => {
      for (const c of await this.custody.overdue(now)) {
        await this.raiseBreach(c, now);
        if (!(await this.custody.markBreached(c.custodyId, now))) continue;
        if (c.jobId) {
          await this.jobs
            .recordProof(c.jobId, { note: `custody breach: ${c.vehicleDeviceId} did not reach a disposal site by ${c.deadlineAt}` }, SYSTEM)
            .catch((err: unknown) => this.logger.warn({ err, jobId: c.jobId }, 'could not note the breach on the job'));
        }
      }
    });
  }

  list(query: ListCustodyQuery): Promise<Custody[]> {
    return this.custody.list(query);
  }

  private async checkPump(tankId: string): Promise<void> {
    const p = this.pendingByTank.get(tankId);
    if (!p) return;
    const history = this.live.levelHistory(tankId);
    const until = p.since + FLEET_DEFAULTS.PROOF_WINDOW_MS;
    const drop = firstDrop(history, p.levelBefore, p.after, until, TANK_DROP);
    if (!drop) {
      if ((history.at(-1)?.ts ?? -Infinity) > until) this.pendingByTank.delete(tankId);
      return;
    }
    this.pendingByTank.delete(tankId);
    const device = p.vehicle.deviceId;
    const unloaded = (this.disposalStops.get(device) ?? []).find((d) => d.at >= p.since);
    const created = await this.custody.insert({
      vehicleDeviceId: device,
      sourceDeviceId: tankId,
      jobId: p.jobId,
      pumpedAt: p.since,
      deadlineAt: p.since + FLEET_DEFAULTS.CUSTODY_WINDOW_MS,
      ...(unloaded ? { disposed: unloaded } : {}),
    });
    if (!created || !p.jobId) return; // recorded before (replay / another instance), or a pump without a job
    await this.jobs.recordProof(p.jobId, { levelAfter: drop.pct }, SYSTEM);
    if (unloaded) await this.completeJob(p.jobId, unloaded.siteId, unloaded.at);
  }

  private async disposed(vehicle: VehicleRecord, site: DisposalSite, at: number): Promise<void> {
    const stops = this.disposalStops.get(vehicle.deviceId) ?? [];
    stops.push({ siteId: site.id, at });
    if (stops.length > FLEET_DEFAULTS.DISPOSAL_STOPS_KEPT) stops.shift();
    this.disposalStops.set(vehicle.deviceId, stops);
    for (const c of await this.custody.dispose(vehicle.deviceId, site.id, at)) {
      if (c.jobId) await this.completeJob(c.jobId, site.id, at);
    }
  }

  private async completeJob(jobId: string, siteId: string, at: number): Promise<void> {
    const job = await this.jobs.get(jobId);
    if (!job || job.status === 'done' || job.status === 'cancelled') return;
    await this.jobs.recordProof(jobId, { disposalSiteId: siteId, disposedAt: iso(at) }, SYSTEM);
    await this.jobs.complete(jobId, SYSTEM, `pumped and unloaded at disposal site ${siteId}`);
  }

  private async raiseBreach(c: Custody, now: number): Promise<void> {
    const device = await this.devices.findById(c.vehicleDeviceId);
    const truck = this.live.truck(c.vehicleDeviceId);
    const vehicle = this.units.vehicleByDevice(c.vehicleDeviceId);
    await this.incidents.raise({
      subjectId: c.vehicleDeviceId,
      deviceKind: 'truck',
      cause: 'custody-breach',
      at: now,
      lat: truck?.position.lat ?? device?.lat ?? 0,
      lon: truck?.position.lon ?? device?.lon ?? 0,
      zone: device?.zone ?? null,
      message: `${vehicle?.name ?? c.vehicleDeviceId} pumped ${c.sourceDeviceId} at ${c.pumpedAt} and reached no disposal site by ${c.deadlineAt}`,
      details: {
        custodyId: c.custodyId,
        vehicleId: vehicle?.vehicleId ?? null,
        sourceDeviceId: c.sourceDeviceId,
        jobId: c.jobId,
        pumpedAt: c.pumpedAt,
        deadlineAt: c.deadlineAt,
      },
    });
  }

}
