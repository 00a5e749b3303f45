import { z } from 'zod';
import { DEVICE_ID_PATTERN, DEVICE_KINDS, type DeviceKind } from '../topics.js';

/**
 * The dispatch domain as the API and the live stream show it: causes (what a rule found),
 * alarms (something is wrong), jobs (someone must go and do work) and the units that do the work.
 */

/** What a rule found. One open alarm per (subject, cause). */
export const CAUSES = [
  // bins
  'bin-full', // fill ≥ threshold
  'bin-forecast-full', // predicted to overflow before a truck could come
  'bin-fire', // temperature above limit or jumping
  'bin-tilt',
  'bin-battery-low',
  // toilets
  'toilet-odour', // NH3/H2S above limit
  'toilet-visits', // visits since the last cleaning above limit
  'toilet-consumables', // paper or soap low
  'toilet-leak',
  // septic tanks
  'septic-full', // level ≥ threshold
  'septic-forecast-full', // forecast full within the horizon
  'septic-gas', // H2S or CH4 above limit
  // streetlights
  'lamp-failure',
  'day-burning',
  'cycling',
  'power-anomaly',
  'cabinet-fault', // most lamps of one cabinet failed together (subject = cabinet)
  // every kind
  'offline',
  // vehicles
  'custody-breach', // a tanker pumped a tank and did not reach a disposal site in time
  'off-route', // a truck on a published route plan left its planned path
] as const;
export type Cause = (typeof CAUSES)[number];

export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Job types: the work a unit is sent to do. One open job per (subject, type). */
export const JOB_TYPES = ['collection', 'pumping', 'cleaning', 'restock', 'lamp-repair', 'cabinet-repair', 'maintenance', 'toilet-repair', 'fire-response'] as const;
export type JobType = (typeof JOB_TYPES)[number];

/** What a vehicle or crew can do. */
export const SKILLS = ['collection', 'septic', 'toilet', 'lighting'] as const;
export type Skill = (typeof SKILLS)[number];

/** Which skill each job type needs. */
export const JOB_SKILL: Record<JobType, Skill> = {
  collection: 'collection',
  pumping: 'septic',
  cleaning: 'toilet',
  restock: 'toilet',
  'lamp-repair': 'lighting',
  'cabinet-repair': 'lighting',
  maintenance: 'collection', // bin upright / battery: the collection crews that handle bins
  'toilet-repair': 'toilet', // leaks: the toilet crew's plumber
  'fire-response': 'collection',
};

/** 1 = most urgent. */
export type Priority = 1 | 2 | 3 | 4;

export const ALARM_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlarmStatus = (typeof ALARM_STATUSES)[number];

export const JOB_STATUSES = ['open', 'assigned', 'en_route', 'on_site', 'done', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const OPEN_JOB_STATUSES: readonly JobStatus[] = ['open', 'assigned', 'en_route', 'on_site'];

/**
 * The subject of an alarm or job: normally a device id; a cabinet fault's subject is
 * `cabinet:<cabinetId>`, a custody breach's the tanker's device id.
 */
export const CABINET_SUBJECT_PREFIX = 'cabinet:';

export interface LatLon {
  lat: number;
  lon: number;
}

/** Who did something: an operator username, or `system` for the rules engine. */
export interface HistoryEntry {
  at: string;
  by: string;
  /** For alarms: opened, acknowledged, escalated, reminded, resolved. For jobs: the new status or flagged/assigned/proposed/unsafe/safe. */
  action: string;
  note?: string;
  data?: Record<string, unknown>;
}

export interface Alarm {
  alarmId: string;
  /** Subject: device id or `cabinet:<id>`. */
  deviceId: string;
  deviceKind: DeviceKind | null;
  cause: Cause;
  severity: Severity;
  status: AlarmStatus;
  zone: string | null;
  contractor: string | null;
  lat: number;
  lon: number;
  message: string;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  /** Times escalated (reminder + raised severity) while unacknowledged. */
  escalations: number;
  jobId: string | null;
  history?: HistoryEntry[];
}

export interface JobAssignee {
  unitType: 'vehicle' | 'crew';
  unitId: string;
}

export interface AssignmentProposal extends JobAssignee {
  name: string;
  /** Estimated travel from the unit's last known position to the job, seconds. */
  travelS: number;
  distanceM: number;
}

export interface JobProof {
  /** Collection/pumping: the vehicle that stopped inside the geofence, and when. */
  stopVehicleId?: string;
  stopAt?: string;
  /** Level before and after the service (bin fill / tank level), percent. */
  levelBefore?: number;
  levelAfter?: number;
  /** Septic chain of custody: disposal site reached and when. */
  disposalSiteId?: string;
  disposedAt?: string;
  note?: string;
  photoUrl?: string;
}

export interface Job {
  jobId: string;
  type: JobType;
  cause: Cause;
  deviceId: string;
  deviceKind: DeviceKind | null;
  zone: string | null;
  contractor: string | null;
  lat: number;
  lon: number;
  priority: Priority;
  status: JobStatus;
  /** What the rule found, one line (e.g. "lamp off at night, 0 W"). */
  message: string;
  /** The finding's data: the triggering reading's values, cabinet id, forecast, … */
  details: Record<string, unknown>;
  createdAt: string;
  dueAt: string;
  updatedAt: string;
  completedAt: string | null;
  assignee: JobAssignee | null;
  proposal: AssignmentProposal | null;
  /** A gas alarm at the site: work there is unsafe until readings fall back. */
  unsafe: boolean;
  /** e.g. `unproven` (claimed done without proof), `overdue`. */
  flags: string[];
  proof: JobProof | null;
  alarmId: string | null;
  history?: HistoryEntry[];
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
export const shiftSchema = z.object({ start: hhmm, end: hhmm });
export type Shift = z.infer<typeof shiftSchema>;

const unitId = z.string().regex(DEVICE_ID_PATTERN, 'must match [A-Za-z0-9_-]{1,64}');

export const registerVehicleSchema = z.object({
  id: unitId,
  name: z.string().min(1).max(200),
  skill: z.enum(['collection', 'septic']),
  /** The truck's GPS unit (a registered `truck` device). */
  deviceId: unitId,
  capacityKg: z.number().positive(),
  shift: shiftSchema,
  contractor: z.string().min(1).max(64).optional(),
  /** Operators (role crew) on this truck: they see and progress the vehicle's jobs in the crew view. */
  members: z.array(z.string().min(1).max(64)).max(20).default([]),
});
export type RegisterVehicleRequest = z.input<typeof registerVehicleSchema>;

export interface UnitPosition extends LatLon {
  ts: string;
  speedKmh?: number;
  headingDeg?: number;
}

export interface Vehicle {
  vehicleId: string;
  name: string;
  skill: Skill;
  deviceId: string;
  capacityKg: number;
  shift: Shift;
  contractor: string | null;
  members: string[];
  position: UnitPosition | null;
  loadKg: number | null;
  /** Open jobs assigned to it. */
  activeJobs: number;
}

export const registerCrewSchema = z.object({
  id: unitId,
  name: z.string().min(1).max(200),
  skill: z.enum(SKILLS),
  /** Operators (role crew) who log in as this crew. */
  members: z.array(z.string().min(1).max(64)).max(50).default([]),
  /** Most jobs it holds at once. */
  capacityJobs: z.number().int().min(1).max(100).default(8),
  shift: shiftSchema,
  /** Where the crew starts (its base) until it reports a position. */
  base: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  contractor: z.string().min(1).max(64).optional(),
});
export type RegisterCrewRequest = z.input<typeof registerCrewSchema>;

export interface Crew {
  crewId: string;
  name: string;
  skill: Skill;
  members: string[];
  capacityJobs: number;
  shift: Shift;
  base: LatLon;
  contractor: string | null;
  position: UnitPosition | null;
  activeJobs: number;
}

/** A registered place where tankers may unload (chain of custody). */
export const registerDisposalSiteSchema = z.object({
  id: unitId,
  name: z.string().min(1).max(200),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  radiusM: z.number().positive().max(2000).default(80),
});
export type RegisterDisposalSiteRequest = z.input<typeof registerDisposalSiteSchema>;
export type DisposalSite = z.output<typeof registerDisposalSiteSchema>;

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

const paging = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

export const listAlarmsQuerySchema = z.object({
  status: csv(ALARM_STATUSES).optional(),
  severity: csv(SEVERITIES).optional(),
  cause: csv(CAUSES).optional(),
  kind: csv(DEVICE_KINDS).optional(),
  zone: z.string().min(1).optional(),
  deviceId: z.string().min(1).optional(),
  ...paging,
});
export type ListAlarmsQuery = z.output<typeof listAlarmsQuerySchema>;

export const listJobsQuerySchema = z.object({
  status: csv(JOB_STATUSES).optional(),
  type: csv(JOB_TYPES).optional(),
  cause: csv(CAUSES).optional(),
  kind: csv(DEVICE_KINDS).optional(),
  zone: z.string().min(1).optional(),
  deviceId: z.string().min(1).optional(),
  priority: z.coerce.number().int().min(1).max(4).optional(),
  unitId: z.string().min(1).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  ...paging,
});
export type ListJobsQuery = z.output<typeof listJobsQuerySchema>;

export const alarmActionSchema = z.object({ note: z.string().max(2000).optional() });
export const resolveAlarmSchema = z.object({ note: z.string().min(1, 'say why').max(2000) });

/** Accept the proposal (`{}`), or name the unit. */
export const assignJobSchema = z.object({
  unitType: z.enum(['vehicle', 'crew']).optional(),
  unitId: unitId.optional(),
});
/** An uploaded job photo is referenced by its server path (`/api/jobs/:id/photos/:photoId`); external photos by absolute URL. */
const API_PATH = /^\/api\/[A-Za-z0-9._~\-/]+$/;
export const transitionJobSchema = z.object({
  status: z.enum(['en_route', 'on_site', 'done']),
  note: z.string().max(2000).optional(),
  photoUrl: z
    .string()
    .max(2000)
    .refine((v) => API_PATH.test(v) || z.url().safeParse(v).success, 'must be an absolute URL or a path starting with /api/')
    .optional(),
});
export const cancelJobSchema = z.object({ note: z.string().min(1, 'say why').max(2000) });

export interface Paged<T> {
  items: T[];
  total: number;
}

export const DEVICE_KIND_OF_CAUSE: Partial<Record<Cause, DeviceKind>> = {
  'bin-full': 'bin',
  'bin-forecast-full': 'bin',
  'bin-fire': 'bin',
  'bin-tilt': 'bin',
  'bin-battery-low': 'bin',
  'toilet-odour': 'toilet',
  'toilet-visits': 'toilet',
  'toilet-consumables': 'toilet',
  'toilet-leak': 'toilet',
  'septic-full': 'septic',
  'septic-forecast-full': 'septic',
  'septic-gas': 'septic',
  'lamp-failure': 'streetlight',
  'day-burning': 'streetlight',
  cycling: 'streetlight',
  'power-anomaly': 'streetlight',
  'custody-breach': 'truck',
  'off-route': 'truck',
};

// ── Fleet additions (issue 3, fleet engineer): proposals, auto-assign, crew positions, custody ──

/** A unit that could take a job, as GET /api/vehicles/proposals?jobId= ranks them (fastest first). */
export interface AssignmentCandidate extends AssignmentProposal {
  skill: Skill;
  activeJobs: number;
}

export const proposalsQuerySchema = z.object({ jobId: z.string().min(1, 'is required').max(64) });

/** Per skill: does the best proposal get assigned on its own (by `system`)? Default on. */
export type AutoAssignSettings = Record<Skill, boolean>;
/** PUT /api/vehicles/auto-assign: the skills to change; unknown keys are refused. */
export const autoAssignUpdateSchema = z.strictObject({
  collection: z.boolean().optional(),
  septic: z.boolean().optional(),
  toilet: z.boolean().optional(),
  lighting: z.boolean().optional(),
});
export type AutoAssignUpdate = z.infer<typeof autoAssignUpdateSchema>;

/** POST /api/crews/:id/position, from a crew member's phone. */
export const crewPositionSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type CrewPositionRequest = z.infer<typeof crewPositionSchema>;

/** Septic chain of custody: a tanker's load from a pumped tank until a disposal site (GET /api/vehicles/custody). */
export interface Custody {
  custodyId: string;
  vehicleDeviceId: string;
  sourceDeviceId: string;
  jobId: string | null;
  pumpedAt: string;
  deadlineAt: string;
  disposedAt: string | null;
  disposalSiteId: string | null;
  breachedAt: string | null;
}

export const listCustodyQuerySchema = z.object({
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  vehicleDeviceId: z.string().min(1).optional(),
});
export type ListCustodyQuery = z.output<typeof listCustodyQuerySchema>;
