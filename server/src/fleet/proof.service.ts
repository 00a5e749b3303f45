import { Inject, Injectable } from '@nestjs/common';
import type { Job } from '@sanitation/contracts';
import { SerialQueue } from '../common/serial-queue.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { FleetLiveStore } from './fleet-live.store.js';
import { FLEET_JOBS, SYSTEM, type FleetJobs } from './fleet-jobs.port.js';
import { FLEET_DEFAULTS } from './fleet.defaults.js';
import type { VehicleRecord } from './fleet.repository.js';
import { firstDrop, levelAt, type DropOptions } from './level-proof.js';
import { ServiceJobsCache } from './service-jobs.cache.js';
import type { StopEpisode } from './stop-detector.js';

/** A collection truck stopped at a bin with an open job; waiting for the bin to report the drop. */
interface PendingStop {
  jobId: string;
  binId: string;
  vehicle: string;
  since: number;
  /** Drops measured after this count (the truck arrived after its last moving fix). */
  after: number;
  levelBefore: number | null;
}

const BIN_DROP: DropOptions = { dropPct: FLEET_DEFAULTS.LEVEL_DROP_PCT, emptyPct: FLEET_DEFAULTS.BIN_EMPTY_PCT };
const iso = (ms: number): string => new Date(ms).toISOString();
const numberOr = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Proof of service for collection jobs: a collection vehicle stops within the geofence of an open
 * collection job's bin (→ stop proof with the fill before), then the bin reports a fill that dropped
 * (→ level after, and the job is completed by `system`). A stop without a drop leaves the job open.
 * The drop may arrive before the stop is seen (different devices), so bins keep a short history.
 */
@Injectable()
export class ProofService {
  private readonly pending = new Map<string, PendingStop>();
  private readonly queue: SerialQueue;
  private readonly logger: Logger;

  constructor(
    private readonly live: FleetLiveStore,
    private readonly cache: ServiceJobsCache,
    @Inject(FLEET_JOBS) private readonly jobs: FleetJobs,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'fleet-proof' });
    this.queue = new SerialQueue((err) => this.logger.warn({ err }, 'proof of service step failed'));
  }

  /** After a restart the stop proof lives on in the job: resume waiting for its drop. */
  onJob(job: Job): void {
    if (job.type !== 'collection') return;
    const pending = this.pending.get(job.deviceId);
    if (job.status === 'done' || job.status === 'cancelled') {
      if (pending?.jobId === job.jobId) this.pending.delete(job.deviceId);
      return;
    }
    const stopAt = job.proof?.stopAt ? Date.parse(job.proof.stopAt) : NaN;
    if (pending || !Number.isFinite(stopAt) || job.proof?.levelAfter !== undefined) return;
    this.pending.set(job.deviceId, {
      jobId: job.jobId,
      binId: job.deviceId,
      vehicle: job.proof?.stopVehicleId ?? '?',
      since: stopAt,
      after: stopAt,
      levelBefore: job.proof?.levelBefore ?? null,
    });
  }

  onStop(vehicle: VehicleRecord, stop: StopEpisode): Promise<void> {
    if (vehicle.skill !== 'collection') return Promise.resolve();
    return this.queue.run(async () => {
      for (const job of await this.cache.near('collection', stop, FLEET_DEFAULTS.GEOFENCE_M)) {
        const after = stop.arrivedAfter ?? stop.since;
        const levelBefore = levelAt(this.live.levelHistory(job.deviceId), after)?.pct ?? numberOr(job.details?.fillPct);
        const pending: PendingStop = { jobId: job.jobId, binId: job.deviceId, vehicle: vehicle.vehicleId, since: stop.since, after, levelBefore };
        this.pending.set(job.deviceId, pending);
        await this.jobs.recordProof(job.jobId, { stopVehicleId: vehicle.vehicleId, stopAt: iso(stop.since), ...(levelBefore === null ? {} : { levelBefore }) }, SYSTEM);
        await this.checkDrop(job.deviceId);
      }
    });
  }

  /** A bin reported a fill level (already in the live store). */
  onBinLevel(binId: string): Promise<void> {
    if (!this.pending.has(binId)) return Promise.resolve();
    return this.queue.run(() => this.checkDrop(binId));
  }

  private async checkDrop(binId: string): Promise<void> {
    const p = this.pending.get(binId);
    if (!p) return;
    const history = this.live.levelHistory(binId);
    const until = p.since + FLEET_DEFAULTS.PROOF_WINDOW_MS;
    const drop = firstDrop(history, p.levelBefore, p.after, until, BIN_DROP);
    if (!drop) {
      if ((history.at(-1)?.ts ?? -Infinity) > until) this.pending.delete(binId); // stopped, never emptied
      return;
    }
    this.pending.delete(binId);
    const job = await this.jobs.get(p.jobId);
    if (!job || job.status === 'done' || job.status === 'cancelled') return;
    await this.jobs.recordProof(p.jobId, { levelAfter: drop.pct }, SYSTEM);
    await this.jobs.complete(p.jobId, SYSTEM, `emptied: ${p.vehicle} stopped at ${iso(p.since)}, fill ${p.levelBefore ?? '?'} → ${drop.pct} %`);
  }

}
