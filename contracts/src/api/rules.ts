import { z } from 'zod';
import { DEVICE_ID_PATTERN, DEVICE_KINDS, type DeviceKind } from '../topics.js';

/**
 * Rule thresholds per device kind. The defaults live in RULE_DEFAULTS (units in the comments);
 * overrides are stored per kind, zone and device (versioned); the effective parameters of a device
 * are defaults ← kind ← zone ← device. Fields named in KIND_ONLY_FIELDS drive detectors shared by
 * all devices of a kind (offline, cycling, cabinet aggregation) and may be overridden per kind only.
 */

/** Offline detection, every kind: silence allowed = multiplier × the device's learned interval. */
const OFFLINE_DEFAULTS = {
  offlineEnabled: true,
  offlineMultiplier: 3, // × learned reporting interval
  offlineFloorMin: 2, // minutes: the timeout is never shorter
  offlineCeilingH: 48, // hours: nor longer
  offlineUnlearnedTimeoutMin: 120, // minutes, while no interval is learned yet
  offlineClearAfterArrivals: 3, // separate arrivals after a return before the alarm clears
  offlineClearAfterMin: 5, // minutes back before it clears
  offlineReRaiseHoldOffMin: 30, // minutes without a new offline alarm after one cleared (flap suppression)
};

export const RULE_DEFAULTS = {
  bin: {
    fullPct: 80, // % fill: collection job
    clearPct: 40, // % fill at or below which the bin counts as emptied (hysteresis)
    fireTempC: 60, // °C: fire alarm at or above
    fireJumpC: 15, // °C rise within fireJumpWindowMin: fire alarm
    fireJumpWindowMin: 30, // minutes
    fireClearTempC: 45, // °C: the fire alarm clears below (and no jump)
    batteryLowPct: 15, // %: maintenance job
    batteryClearPct: 25, // %: clears at or above
    forecastEnabled: true,
    overflowPct: 95, // % the forecast predicts the time to (the bin overflows)
    forecastLeadMin: 120, // minutes a truck needs from the job to the bin being emptied
    dueMarginMin: 15, // minutes: job due = predicted overflow − margin
    forecastEveryMin: 10, // minutes of reading time between forecasts of one bin
    ...OFFLINE_DEFAULTS,
  },
  toilet: {
    nh3Ppm: 10, // ppm NH3: cleaning job at or above
    nh3ClearPpm: 5, // ppm: odour clears below (with H2S)
    h2sPpm: 2, // ppm H2S: cleaning job at or above
    h2sClearPpm: 1, // ppm
    visitsPerCleaning: 300, // visits since the last cleaning: cleaning job
    cleaningJumpPct: 30, // paper or soap rising by this many points counts as a cleaning/restock
    paperLowPct: 15, // %: restock job
    soapLowPct: 15, // %
    restockClearPct: 50, // %: consumables clear when both are at or above
    ...OFFLINE_DEFAULTS,
  },
  septic: {
    fullPct: 85, // % level: pumping job
    clearPct: 30, // % level at or below which the tank counts as pumped
    forecastEnabled: true,
    forecastHorizonH: 48, // hours: pumping job when the forecast says full within this
    dueMarginMin: 60, // minutes: job due = predicted full − margin
    forecastEveryMin: 30, // minutes of reading time between forecasts of one tank
    h2sPpm: 15, // ppm H2S: gas alarm, jobs at the tank unsafe
    h2sClearPpm: 10, // ppm: clears below (with CH4)
    ch4PctLel: 20, // % LEL methane: gas alarm
    ch4ClearPctLel: 10, // % LEL
    ...OFFLINE_DEFAULTS,
  },
  streetlight: {
    // astronomical schedule
    switchOnAfterSunsetMin: 0, // minutes after sunset
    switchOffBeforeSunriseMin: 0, // minutes before sunrise
    graceMin: 15, // minutes around a switching time where either state is fine
    dimPct: 50, // % part-night level (100 = no dimming)
    dimFromLocalHour: 0, // local hour dimming starts
    dimUntilLocalHour: 5, // local hour dimming ends
    // lamp faults
    nominalVoltageV: 220, // V
    voltageBandPct: 10, // ± % of nominal
    noSupplyBelowV: 50, // V: below = no supply at all
    noPowerBelowW: 3, // W: not burning
    noPowerBelowFraction: 0.1, // share of expected draw: not burning
    powerTolerancePct: 30, // ± % of rated × dim
    powerToleranceW: 8, // W, minimum tolerance
    powerFactor: 0.95, // for V × A when powerW is missing
    dimTolerancePct: 10, // percentage points
    // cycling (per kind only)
    cyclingWindowMin: 10, // minutes
    cyclingMinTransitions: 6, // on/off transitions within the window
    cyclingClearBelowTransitions: 2, // clears below this many
    // cabinet aggregation (per kind only)
    cabinetMinLamps: 5, // lamps: smaller cabinets never aggregate
    cabinetOpenShare: 0.6, // share of lamps failing together: one cabinet fault
    cabinetTogetherWithinMin: 20, // minutes between the first and last failure onset
    cabinetClearShare: 0.3, // share still failing below which the cabinet fault clears
    cabinetHoldIndividualMin: 20, // minutes a lamp fault waits for its neighbours before going out alone
    ...OFFLINE_DEFAULTS,
  },
  truck: { ...OFFLINE_DEFAULTS },
} as const satisfies Record<DeviceKind, Record<string, number | boolean>>;

type Widen<T> = { -readonly [K in keyof T]: T[K] extends boolean ? boolean : number };
export type RuleParamsByKind = { [K in DeviceKind]: Widen<(typeof RULE_DEFAULTS)[K]> };
export type RuleParams<K extends DeviceKind = DeviceKind> = RuleParamsByKind[K];

/** Fields that may be overridden per kind only (they configure one detector per kind). */
export const KIND_ONLY_FIELDS: readonly string[] = [
  ...Object.keys(OFFLINE_DEFAULTS),
  ...Object.keys(RULE_DEFAULTS.streetlight).filter((k) => k.startsWith('cycling') || k.startsWith('cabinet')),
];

/** Bounds per field name: [min, max]. Anything not listed: ≥ 0 and finite. */
const BOUNDS: Record<string, [number, number]> = {
  fullPct: [1, 100], clearPct: [0, 100], overflowPct: [1, 100], batteryLowPct: [0, 100], batteryClearPct: [0, 100],
  paperLowPct: [0, 100], soapLowPct: [0, 100], restockClearPct: [0, 100], cleaningJumpPct: [1, 100], dimPct: [0, 100],
  dimFromLocalHour: [0, 24], dimUntilLocalHour: [0, 24], voltageBandPct: [0, 100], powerTolerancePct: [0, 1000],
  noPowerBelowFraction: [0, 1], powerFactor: [0.1, 1], cabinetOpenShare: [0.01, 1], cabinetClearShare: [0.01, 1],
  offlineMultiplier: [1, 1000], ch4PctLel: [0, 100], ch4ClearPctLel: [0, 100], fireJumpWindowMin: [1, 1440],
  cyclingMinTransitions: [1, 1000], cabinetMinLamps: [1, 100_000], offlineClearAfterArrivals: [1, 1000],
  visitsPerCleaning: [1, 1_000_000], switchOnAfterSunsetMin: [-240, 240], switchOffBeforeSunriseMin: [-240, 240],
};
const INTEGER_FIELDS = new Set(['visitsPerCleaning', 'cyclingMinTransitions', 'cyclingClearBelowTransitions', 'cabinetMinLamps', 'offlineClearAfterArrivals']);

function fieldSchema(name: string, def: number | boolean): z.ZodType {
  if (typeof def === 'boolean') return z.boolean();
  const [min, max] = BOUNDS[name] ?? [0, Number.MAX_SAFE_INTEGER];
  const n = z.number().finite().min(min).max(max);
  return INTEGER_FIELDS.has(name) ? n.int() : n;
}

function paramsSchema(kind: DeviceKind): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(RULE_DEFAULTS[kind])) shape[k] = fieldSchema(k, v);
  return z.object(shape).strict();
}

/** A complete parameter set per kind (strict: unknown fields are refused by name). */
export const ruleParamsSchemas: Record<DeviceKind, z.ZodObject> = Object.fromEntries(
  DEVICE_KINDS.map((k) => [k, paramsSchema(k)]),
) as Record<DeviceKind, z.ZodObject>;

/**
 * Body of `PUT /api/rules/:kind[/zones/:zone|/devices/:deviceId]`: some fields; `null` removes
 * the field from this override (the next level up applies again).
 */
export const ruleOverrideSchemas: Record<DeviceKind, z.ZodObject> = Object.fromEntries(
  DEVICE_KINDS.map((kind) => {
    const shape: Record<string, z.ZodType> = {};
    for (const [k, v] of Object.entries(RULE_DEFAULTS[kind])) shape[k] = fieldSchema(k, v).nullable().optional();
    return [kind, z.object(shape).strict()];
  }),
) as Record<DeviceKind, z.ZodObject>;

/** Checks across fields of an effective parameter set; each problem names its field. */
export function ruleParamsProblems(kind: DeviceKind, p: Record<string, number | boolean>): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const below = (low: string, high: string) => {
    if (typeof p[low] === 'number' && typeof p[high] === 'number' && !(p[low] < p[high])) {
      out.push({ path: low, message: `must be below ${high} (${p[high]}), got ${p[low]}` });
    }
  };
  if (kind === 'bin') {
    below('clearPct', 'fullPct');
    below('fireClearTempC', 'fireTempC');
    below('batteryLowPct', 'batteryClearPct');
  }
  if (kind === 'septic') {
    below('clearPct', 'fullPct');
    below('h2sClearPpm', 'h2sPpm');
    below('ch4ClearPctLel', 'ch4PctLel');
  }
  if (kind === 'toilet') {
    below('nh3ClearPpm', 'nh3Ppm');
    below('h2sClearPpm', 'h2sPpm');
  }
  if (kind === 'streetlight') {
    if ((p.cabinetClearShare as number) > (p.cabinetOpenShare as number)) out.push({ path: 'cabinetClearShare', message: `must be ≤ cabinetOpenShare (${p.cabinetOpenShare})` });
    if ((p.cyclingClearBelowTransitions as number) > (p.cyclingMinTransitions as number)) {
      out.push({ path: 'cyclingClearBelowTransitions', message: `must be ≤ cyclingMinTransitions (${p.cyclingMinTransitions})` });
    }
  }
  if ((p.offlineCeilingH as number) * 60 < (p.offlineFloorMin as number)) out.push({ path: 'offlineCeilingH', message: 'must be ≥ offlineFloorMin' });
  return out;
}

export const RULE_SCOPES = ['kind', 'zone', 'device'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

export const ruleTargetSchema = z.string().regex(DEVICE_ID_PATTERN, 'must match [A-Za-z0-9_-]{1,64}');

/** One stored version of an override. */
export interface RuleOverride {
  kind: DeviceKind;
  scope: RuleScope;
  /** Zone id or device id; null for scope `kind`. */
  target: string | null;
  version: number;
  params: Record<string, number | boolean>;
  createdBy: string;
  createdAt: string;
}

/** `GET /api/rules`. */
export interface RulesResponse {
  defaults: RuleParamsByKind;
  /** Latest version of every override. */
  overrides: RuleOverride[];
  kindOnlyFields: readonly string[];
}

/** `GET /api/rules/:kind/effective?deviceId=|zone=`. */
export interface EffectiveRulesResponse {
  kind: DeviceKind;
  zone: string | null;
  deviceId: string | null;
  params: Record<string, number | boolean>;
  /** Which level each field came from. */
  sources: Record<string, 'default' | RuleScope>;
}

export const effectiveRulesQuerySchema = z.object({
  deviceId: ruleTargetSchema.optional(),
  zone: ruleTargetSchema.optional(),
});

export const ruleHistoryQuerySchema = z.object({
  kind: z.enum(DEVICE_KINDS).optional(),
  scope: z.enum(RULE_SCOPES).optional(),
  target: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
