import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type AcceptedReading, type DeviceKind, type RuleParams } from '@sanitation/contracts';
import type { Subscription } from 'rxjs';
import { INCIDENT_SINK, type IncidentSink } from '../alarms/incident-sink.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';
import { DATABASE, type Database } from '../database/database.js';
import { DeviceDirectory, type DeviceInfo } from '../devices/device-directory.js';
import { DomainEvents } from '../events/domain-events.js';
import { FleetUnitsService } from '../fleet/fleet-units.service.js';
import { ReadingsBus } from '../ingest/readings.bus.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { RuleConfigService } from '../rule-config/rule-config.service.js';
import { TaskRegistry } from '../scheduler/task.registry.js';
import { BIN_FORECAST_DEFAULTS, forecastFill, SEPTIC_FORECAST_DEFAULTS } from '../rules/forecast/fill-forecast.js';
import { evaluateBin } from './bin.evaluator.js';
import { CabinetMonitor } from './cabinet.monitor.js';
import { ConditionTracker, loggingSink } from './condition-tracker.js';
import { DeviceState } from './device-state.js';
import { MINUTE_MS, num, type ReadingContext } from './evaluation.js';
import { levelRuleFor, onForecastTick } from './level.evaluator.js';
import { OfflineMonitor } from './offline.monitor.js';
import { evaluateSeptic } from './septic.evaluator.js';
import { cabinetOptions, StreetlightEvaluator } from './streetlight.evaluator.js';
import { countToiletVisits, evaluateToilet } from './toilet.evaluator.js';

export interface RulesEngineStats {
  readings: number;
  duplicates: number;
  stale: number;
  unknownDevice: number;
  errors: number;
}

/**
 * Turns accepted readings into conditions. The per-reading path is in memory only (device
 * directory, cached thresholds, per-device state): a bin fire is raised on the reading that shows
 * it. Delivery is at least once: a repeated (deviceId, seq) is ignored, and a reading older than
 * the device's newest one does not move any hysteresis. Scheduled checks (offline, cabinet hold
 * release, forecasts between readings) run as periodic tasks with the clock's `now`.
 */
@Injectable()
export class RulesEngine implements OnModuleInit, OnApplicationShutdown {
  readonly tracker: ConditionTracker;
  readonly stats: RulesEngineStats = { readings: 0, duplicates: 0, stale: 0, unknownDevice: 0, errors: 0 };
  private readonly states = new Map<string, DeviceState>();
  private readonly logger: Logger;
  private offline!: OfflineMonitor;
  private cabinets!: CabinetMonitor;
  private streetlights!: StreetlightEvaluator;
  private subscription: Subscription | undefined;
  /** Newest reading `ts` seen (epoch ms): the time cabinet holds are judged in. */
  private newestReadingTs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly bus: ReadingsBus,
    private readonly directory: DeviceDirectory,
    private readonly rules: RuleConfigService,
    private readonly events: DomainEvents,
    private readonly units: FleetUnitsService,
    private readonly tasks: TaskRegistry,
    private readonly moduleRef: ModuleRef,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'rules-engine' });
    this.tracker = new ConditionTracker(loggingSink(this.logger), this.logger);
  }

  async onModuleInit(): Promise<void> {
    this.tracker.useSink(this.resolveSink());
    await this.directory.ready();
    const open = await this.tracker.load(this.db);
    const now = this.clock.now();
    const kindParams = <K extends DeviceKind>(kind: K): RuleParams<K> => this.rules.effective(kind).params;
    const light = kindParams('streetlight');
    this.cabinets = new CabinetMonitor(this.directory, this.tracker, cabinetOptions(light));
    this.streetlights = new StreetlightEvaluator(this.config.CITY_TIME_ZONE, this.cabinets, light);
    this.offline = new OfflineMonitor(this.directory, this.tracker, kindParams, (id, online) => this.emitPresence(id, online));
    // A cabinet fault open before a restart waits for its lamps to report again before it is judged.
    const settleMs = (light.cabinetHoldIndividualMin + light.cabinetTogetherWithinMin) * MINUTE_MS;
    for (const subject of this.tracker.subjectsWith('cabinet-fault')) this.cabinets.seed(subject.slice('cabinet:'.length), now, now + settleMs);
    for (const d of this.directory.all()) if (!d.revoked) this.offline.watch(d.deviceId, d.kind, now);
    this.directory.onChange((d) => {
      this.cabinets.invalidate();
      if (!d.revoked) this.offline.watch(d.deviceId, d.kind, this.clock.now());
    });
    this.rules.onChange((kind) => {
      const p = kindParams(kind);
      this.offline.configure(kind, p);
      if (kind === 'streetlight') this.streetlights.reconfigure(p as RuleParams<'streetlight'>);
    });
    this.subscription = this.bus.readings$.subscribe((r) => this.onReading(r));
    // The hand-off is acknowledged only after the alarms/jobs a batch raised are committed.
    this.tracker.onCall = (call) => this.bus.track(call);
    this.registerTasks();
    this.logger.info({ devices: this.directory.size, openConditions: open }, 'rules engine started');
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.tracker.idle();
  }

  /** Swaps the incident sink (tests, before the dispatch side provides one). */
  useSink(sink: IncidentSink): void {
    this.tracker.useSink(sink);
  }

  /** Resolves when every sink call made so far has settled. */
  idle(): Promise<void> {
    return this.tracker.idle();
  }

  runOfflineCheck(now: number): void {
    this.offline.evaluate(now);
  }

  /**
   * A held lamp fault waits for its neighbours' readings, so the hold is measured in reading time:
   * the newest reading's `ts`, not the clock — readings that trail the clock (a busy gateway, a
   * simulator behind its schedule) must not release the hold before the neighbours could report.
   */
  runCabinetCheck(now: number): void {
    this.cabinets.evaluateAll(Math.min(now, this.newestReadingTs));
  }

  runForecasts(now: number): void {
    for (const [id, state] of this.states) {
      const device = this.directory.get(id);
      if (!device || (device.kind !== 'bin' && device.kind !== 'septic')) continue;
      const p = this.rules.effective(device.kind, device.zone, id).params;
      onForecastTick(device, state, this.tracker, levelRuleFor(device.kind, p), now);
    }
  }

  /**
   * Read-only, for route planning: a bin's/tank's level and fill rate from the readings in memory.
   * Fitted → the fitted level at `now` and the rate (%/h); not enough readings → the last reading
   * and a null rate; never read → null.
   */
  forecastFor(deviceId: string, now: number = this.clock.now()): { fillPct: number; ratePctPerH: number | null; fittedAt: number } | null {
    const state = this.states.get(deviceId);
    const device = this.directory.get(deviceId);
    const last = state?.levels[state.levels.length - 1];
    if (!state || !device || !last) return null;
    const options = device.kind === 'septic' ? SEPTIC_FORECAST_DEFAULTS : BIN_FORECAST_DEFAULTS;
    const f = forecastFill({ readings: state.levels, thresholdPct: 100, now: Math.max(now, last.ts), options });
    if (f.levelNowPct === null || f.ratePctPerH === null) return { fillPct: last.value, ratePctPerH: null, fittedAt: last.ts };
    return { fillPct: f.levelNowPct, ratePctPerH: f.ratePctPerH, fittedAt: Math.max(now, last.ts) };
  }

  /** The truck's vehicle, from the fleet's registry; an unknown truck makes it reload (rate-limited) for next time. */
  private vehicleOf(deviceId: string): string | null {
    const vehicle = this.units.vehicleByDevice(deviceId);
    if (!vehicle) void this.units.vehicleByDeviceFresh(deviceId).catch(() => undefined);
    return vehicle?.vehicleId ?? null;
  }

  /** The per-reading path. Never throws: one bad reading costs only itself. */
  onReading(r: AcceptedReading): void {
    try {
      const device = this.directory.get(r.deviceId);
      if (!device || device.kind !== r.kind || device.revoked) {
        this.stats.unknownDevice++;
        return;
      }
      let state = this.states.get(r.deviceId);
      if (!state) this.states.set(r.deviceId, (state = new DeviceState()));
      if (!state.firstDelivery(r.seq)) {
        this.stats.duplicates++;
        return;
      }
      this.stats.readings++;
      this.offline.onReading(r.deviceId, r.kind, r.ts, this.clock.now());
      if (r.kind === 'toilet') countToiletVisits(state, r.values);
      if (r.ts < state.lastTs) {
        this.stats.stale++;
        return;
      }
      state.lastTs = r.ts;
      if (r.ts > this.newestReadingTs) this.newestReadingTs = r.ts;
      this.evaluate(device, r, state);
      state.lastValues = r.values;
      this.emitReading(device, r);
    } catch (err) {
      this.stats.errors++;
      this.logger.error({ err, deviceId: r.deviceId, seq: r.seq }, 'rule evaluation failed');
    }
  }

  private evaluate(device: DeviceInfo, reading: AcceptedReading, state: DeviceState): void {
    const params = this.rules.effective(device.kind, device.zone, device.deviceId).params;
    const ctx = { device, reading, state, params, tracker: this.tracker } as ReadingContext<never>;
    switch (device.kind) {
      case 'bin':
        return evaluateBin(ctx);
      case 'toilet':
        return evaluateToilet(ctx);
      case 'septic':
        return evaluateSeptic(ctx);
      case 'streetlight':
        return this.streetlights.evaluate(ctx);
      case 'truck':
        return;
    }
  }

  private emitReading(device: DeviceInfo, r: AcceptedReading): void {
    const online = !this.offline.isOffline(device.deviceId, device.kind);
    this.events.emit({
      type: 'device',
      state: { deviceId: device.deviceId, kind: device.kind, zone: device.zone, lat: device.lat, lon: device.lon, ts: r.ts, values: r.values, online },
    });
    if (device.kind !== 'truck') return;
    const lat = num(r.values.lat);
    const lon = num(r.values.lon);
    if (lat === undefined || lon === undefined) return;
    this.events.emit({
      type: 'truck',
      position: {
        deviceId: device.deviceId,
        vehicleId: this.vehicleOf(device.deviceId),
        lat,
        lon,
        speedKmh: num(r.values.speedKmh) ?? null,
        headingDeg: num(r.values.headingDeg) ?? null,
        loadKg: num(r.values.loadKg) ?? null,
        ts: r.ts,
      },
    });
  }

  private emitPresence(deviceId: string, online: boolean): void {
    const device = this.directory.get(deviceId);
    if (!device) return;
    const state = this.states.get(deviceId);
    this.events.emit({
      type: 'device',
      state: {
        deviceId,
        kind: device.kind,
        zone: device.zone,
        lat: device.lat,
        lon: device.lon,
        ts: state && Number.isFinite(state.lastTs) ? state.lastTs : this.clock.now(),
        values: state?.lastValues ?? {},
        online,
      },
    });
  }

  private registerTasks(): void {
    this.tasks.register({ name: 'offline-detection', everyMs: this.config.OFFLINE_CHECK_MS, run: async (now) => this.runOfflineCheck(now) });
    this.tasks.register({ name: 'cabinet-aggregation', everyMs: this.config.CABINET_CHECK_MS, run: async (now) => this.runCabinetCheck(now) });
    this.tasks.register({ name: 'forecasts', everyMs: this.config.FORECAST_CHECK_MS, run: async (now) => this.runForecasts(now) });
  }

  private resolveSink(): IncidentSink {
    try {
      return this.moduleRef.get<IncidentSink>(INCIDENT_SINK, { strict: false });
    } catch {
      this.logger.warn('no INCIDENT_SINK provided: conditions are only logged');
      return loggingSink(this.logger);
    }
  }
}

