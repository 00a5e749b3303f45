import { z } from 'zod';
import { MAX_TELEMETRY_BATCH } from '@sanitation/contracts';
import { faultSpecSchema } from './faults/fault.types.js';

/** Defaults, in one place. Units in the comments. */
export const SIM_DEFAULTS = {
  serverUrl: 'http://127.0.0.1:8080',
  mqttUrl: 'mqtt://127.0.0.1:1883',
  adminUser: 'admin',
  devices: 1000, // count
  seed: 42,
  speed: 60, // sim seconds per real second
  connectRate: 300, // new MQTT connections per real second
  bufferSize: 5000, // readings kept per device while offline/unacked
  maxBatch: MAX_TELEMETRY_BATCH, // readings per flushed batch
  maxInflightBatches: 4, // batches awaiting PUBACK per device
  keepaliveS: 60, // MQTT keepalive, seconds
  minPublishIntervalMs: 100, // least real time between a device's telemetry publishes, ms (≤ 10/s; faster readings are batched)
  connectTimeoutMs: 30_000, // ms until an unanswered CONNECT is abandoned
  backoffInitialMs: 1_000, // first reconnect wait, ms (real time)
  backoffMaxMs: 30_000, // longest reconnect wait, ms (real time)
  tickMs: 50, // scheduler tick, real ms
  utcOffsetH: 8, // city's local time (China Standard Time)
  drainTimeoutMs: 30_000, // how long stop({ drain: true }) waits for PUBACKs, ms
  garbageEvery: 4, // a garbage device sends one bad payload every N of its reports
  collectAtPct: 50, // collection trucks go for bins at least this full, percent
  pumpAtPct: 70, // tankers go for septic tanks at least this full, percent
  registerFleet: true, // register trucks, crews and disposal sites with the server after the devices
  followJobs: false, // library default; the CLI (npm start) turns it on
  jobPollSimMs: 120_000, // sim ms between polls of the trucks' jobs
  jobPollMinRealMs: 1_000, // least real ms between two polls (bounds the load at high speed)
} as const;

export const simulationOptionsSchema = z.object({
  mqttUrl: z.string().url().default(SIM_DEFAULTS.mqttUrl),
  serverUrl: z.string().url().default(SIM_DEFAULTS.serverUrl),
  adminUser: z.string().min(1).default(SIM_DEFAULTS.adminUser),
  /** Needed unless `credentials` is given. */
  adminPassword: z.string().min(1).optional(),
  devices: z.number().int().min(1).max(100_000).default(SIM_DEFAULTS.devices),
  seed: z.number().int().default(SIM_DEFAULTS.seed),
  speed: z.number().positive().max(100_000).default(SIM_DEFAULTS.speed),
  /** Sim start, epoch ms (default: now). */
  start: z.number().int().min(0).optional(),
  /**
   * Wall-clock epoch ms at which sim time equals `start` (default: the moment start() begins
   * reporting). Give the server the same instant (CLOCK_ANCHOR) and both share one timeline.
   */
  clockAnchor: z.number().int().min(0).optional(),
  /** Sim duration, ms; the simulation stops producing readings after it (default: run until stop()). */
  durationMs: z.number().int().positive().optional(),
  faults: z.array(faultSpecSchema).default([]),
  /** deviceId → secret; skips provisioning through the server when given. */
  credentials: z.record(z.string(), z.string()).optional(),
  /** Where provisioned secrets are kept (default `.data/sim/credentials-<seed>.json`). */
  credentialsFile: z.string().min(1).optional(),
  connectRate: z.number().positive().default(SIM_DEFAULTS.connectRate),
  bufferSize: z.number().int().min(1).default(SIM_DEFAULTS.bufferSize),
  maxBatch: z.number().int().min(1).max(MAX_TELEMETRY_BATCH).default(SIM_DEFAULTS.maxBatch),
  maxInflightBatches: z.number().int().min(1).default(SIM_DEFAULTS.maxInflightBatches),
  keepaliveS: z.number().int().min(0).max(65_535).default(SIM_DEFAULTS.keepaliveS),
  minPublishIntervalMs: z.number().int().min(0).max(60_000).default(SIM_DEFAULTS.minPublishIntervalMs),
  connectTimeoutMs: z.number().int().positive().default(SIM_DEFAULTS.connectTimeoutMs),
  backoffInitialMs: z.number().int().positive().default(SIM_DEFAULTS.backoffInitialMs),
  backoffMaxMs: z.number().int().positive().default(SIM_DEFAULTS.backoffMaxMs),
  tickMs: z.number().int().min(5).max(1000).default(SIM_DEFAULTS.tickMs),
  utcOffsetH: z.number().min(-12).max(14).default(SIM_DEFAULTS.utcOffsetH),
  drainTimeoutMs: z.number().int().min(0).default(SIM_DEFAULTS.drainTimeoutMs),
  garbageEvery: z.number().int().min(1).default(SIM_DEFAULTS.garbageEvery),
  collectAtPct: z.number().min(0).max(100).default(SIM_DEFAULTS.collectAtPct),
  pumpAtPct: z.number().min(0).max(100).default(SIM_DEFAULTS.pumpAtPct),
  /** After provisioning the devices, register vehicles, crews and disposal sites (needs adminPassword). */
  registerFleet: z.boolean().default(SIM_DEFAULTS.registerFleet),
  /**
   * Collection trucks serve the collection jobs the server assigned to them (published route order
   * first) and choose bins themselves only without any; their drivers post en_route/on_site.
   * Needs adminPassword (the jobs are polled with the provisioning login).
   */
  followJobs: z.boolean().default(SIM_DEFAULTS.followJobs),
  jobPollSimMs: z.number().int().min(1_000).default(SIM_DEFAULTS.jobPollSimMs),
  jobPollMinRealMs: z.number().int().min(50).default(SIM_DEFAULTS.jobPollMinRealMs),
  /** Create the crews' member accounts (role crew) with this password. */
  crewPassword: z.string().min(8).optional(),
  /** City centre (default Hangzhou). */
  center: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
});
export type SimulationOptions = z.input<typeof simulationOptionsSchema>;
export type ResolvedSimulationOptions = z.output<typeof simulationOptionsSchema>;
