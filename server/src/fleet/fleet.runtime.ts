import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { AcceptedReading } from '@sanitation/contracts';
import type { Subscription } from 'rxjs';
import { DomainEvents } from '../events/domain-events.js';
import { ReadingsBus } from '../ingest/readings.bus.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { TaskRegistry } from '../scheduler/task.registry.js';
import { AssignmentService } from './assignment.service.js';
import { CustodyService } from './custody.service.js';
import { FleetLiveStore } from './fleet-live.store.js';
import { FLEET_JOBS, type FleetJobs } from './fleet-jobs.port.js';
import { FleetUnitsService } from './fleet-units.service.js';
import { FLEET_DEFAULTS } from './fleet.defaults.js';
import { ProofService } from './proof.service.js';
import { SERVICE_JOB_TYPES, ServiceJobsCache } from './service-jobs.cache.js';
import type { StopEpisode } from './stop-detector.js';

export const FLEET_PROPOSALS_TASK = 'fleet-proposals';
export const CUSTODY_DEADLINES_TASK = 'custody-deadlines';

/**
 * Wires the fleet to the rest of the server: readings (truck fixes, bin and tank levels) into the
 * live store and the proof/custody logic, job events into proposals, and the two periodic tasks.
 * The reading path is synchronous except where a stop or a pending proof needs the database.
 */
@Injectable()
export class FleetRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly subscriptions: Subscription[] = [];
  private readonly logger: Logger;

  constructor(
    private readonly bus: ReadingsBus,
    private readonly events: DomainEvents,
    private readonly tasks: TaskRegistry,
    private readonly live: FleetLiveStore,
    private readonly units: FleetUnitsService,
    private readonly assignment: AssignmentService,
    private readonly proof: ProofService,
    private readonly custody: CustodyService,
    private readonly cache: ServiceJobsCache,
    @Inject(FLEET_JOBS) private readonly jobs: FleetJobs,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'fleet' });
  }

  onModuleInit(): void {
    this.tasks.register({ name: FLEET_PROPOSALS_TASK, everyMs: FLEET_DEFAULTS.PROPOSALS_EVERY_MS, run: () => this.assignment.runPeriodic() });
    this.tasks.register({ name: CUSTODY_DEADLINES_TASK, everyMs: FLEET_DEFAULTS.CUSTODY_EVERY_MS, run: (now) => this.custody.runDeadlines(now) });
    this.subscriptions.push(
      this.bus.readings$.subscribe((r) => this.onReading(r)),
      this.events.events$.subscribe((e) => {
        if (e.type !== 'job') return;
        this.cache.apply(e.job);
        this.proof.onJob(e.job);
        void this.assignment.onJob(e.job);
      }),
    );
  }

  /** Stop proofs survive a restart inside the jobs: pick up the ones still waiting for a level drop. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      for (const job of await this.jobs.listOpen({ types: SERVICE_JOB_TYPES })) this.proof.onJob(job);
    } catch (err) {
      this.logger.warn({ err }, 'could not resume pending proofs');
    }
  }

  onModuleDestroy(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  private async onStop(deviceId: string, stop: StopEpisode): Promise<void> {
    try {
      const vehicle = await this.units.vehicleByDeviceFresh(deviceId);
      if (!vehicle) return;
      await Promise.all([this.proof.onStop(vehicle, stop), this.custody.onStop(vehicle, stop)]);
    } catch (err) {
      this.logger.warn({ err, deviceId }, 'fleet could not handle a stop');
    }
  }

  /** Never throws: a bad reading costs itself only. */
  onReading(r: AcceptedReading): void {
    try {
      if (r.kind === 'truck') {
        const stop = this.live.applyTruck(r);
        if (stop) this.bus.track(this.onStop(r.deviceId, stop));
      } else if (r.kind === 'bin' && typeof r.values.fillPct === 'number') {
        if (this.live.applyLevel(r.deviceId, r.ts, r.values.fillPct)) this.bus.track(this.proof.onBinLevel(r.deviceId));
      } else if (r.kind === 'septic' && typeof r.values.levelPct === 'number') {
        if (this.live.applyLevel(r.deviceId, r.ts, r.values.levelPct)) this.bus.track(this.custody.onTankLevel(r.deviceId));
      }
    } catch (err) {
      this.logger.error({ err, deviceId: r.deviceId }, 'fleet could not process a reading');
    }
  }
}
