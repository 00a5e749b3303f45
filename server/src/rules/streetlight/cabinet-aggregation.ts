import { MINUTE_MS } from './local-clock.js';
import { fmt, type LampCondition, type StreetlightFaultCode } from './streetlight-conditions.js';

/**
 * Cabinet/feeder aggregation: when most lamps of one cabinet fail together, the cause is the cabinet
 * (contactor, breaker, feeder cable), so the core raises one cabinet fault — one work order — that
 * absorbs the individual lamp faults, instead of thirty. Pure: the caller passes the previous state
 * (persist it to survive a restart) and gets the next one back.
 *
 * Lamps report every ~15 min, so one outage shows up lamp by lamp over a reporting interval. A lamp
 * fault on a cabinet big enough to aggregate is therefore held back for `holdIndividualMs` before it
 * is released as an individual fault, giving its neighbours time to report.
 */

export const CABINET_DEFAULTS = {
  /** Only cabinets with at least this many registered lamps aggregate, lamps. */
  minCabinetLamps: 5,
  /** Open a cabinet fault when at least this share of the cabinet's lamps fail together, fraction. */
  openShare: 0.6,
  /** "Together": failure onsets within this span, ms. Must exceed the lamps' reporting interval (15 min). */
  togetherWithinMs: 20 * MINUTE_MS,
  /** Clear when the still-failing covered lamps drop below this share of the cabinet, fraction (hysteresis). */
  clearShare: 0.3,
  /** Hold a lamp fault this long before releasing it as individual, ms (neighbours may yet report). */
  holdIndividualMs: 20 * MINUTE_MS,
} as const;

export type CabinetOptions = { -readonly [K in keyof typeof CABINET_DEFAULTS]: number };

/**
 * A lamp with an open fault of the cause being aggregated, normally lamp-failure. Day-burning can be
 * aggregated the same way (a cabinet contactor stuck on) in a separate run with its own state map;
 * never mix causes in one run. `since` = `ts` of the first reading showing it (epoch ms).
 */
export interface LampFailure {
  deviceId: string;
  since: number;
  code?: StreetlightFaultCode;
}

export interface CabinetLamps {
  cabinetId: string;
  /** Lamps registered on this cabinet (from the registry, not only those reporting). */
  lampCount: number;
  failing: readonly LampFailure[];
}

/** Carry between evaluations; null when the cabinet has no open fault. */
export interface CabinetFaultState {
  cabinetId: string;
  openedAt: number;
  /** Onset of the earliest lamp failure the fault covers. */
  since: number;
  /** Lamps absorbed by the fault (kept even while a lamp flickers back, until the fault clears). */
  coveredDeviceIds: readonly string[];
}

export interface CabinetDecision {
  cabinetId: string;
  transition: 'opened' | 'continuing' | 'cleared' | 'none';
  /** Present while the cabinet fault is open. */
  condition?: LampCondition;
  /** Failing lamps absorbed by the cabinet fault: raise no work order of their own. */
  coveredLampFaults: LampFailure[];
  /** Failing lamps to raise individually (also every lamp of a cabinet fault that just cleared). */
  individualLampFaults: LampFailure[];
  /** Failing lamps held back: too recent to tell whether the whole cabinet is going down. */
  pendingLampFaults: LampFailure[];
  next: CabinetFaultState | null;
}

export function evaluateCabinet(
  previous: CabinetFaultState | null,
  input: CabinetLamps,
  at: number,
  options: Partial<CabinetOptions> = {},
): CabinetDecision {
  const o = cabinetOptions(options);
  const failing = dedupe(input.failing);
  // A stale registry must not make the share exceed 100 %.
  const lampCount = Math.max(input.lampCount, failing.length);
  const base = { cabinetId: input.cabinetId };

  if (lampCount < o.minCabinetLamps) {
    return { ...base, transition: previous ? 'cleared' : 'none', coveredLampFaults: [], individualLampFaults: failing, pendingLampFaults: [], next: null };
  }

  if (previous) {
    const covered = new Set(previous.coveredDeviceIds);
    // Lamps failing after the outage began join it (they are on the same dead feeder).
    for (const f of failing) if (f.since >= previous.since) covered.add(f.deviceId);
    const stillFailing = failing.filter((f) => covered.has(f.deviceId));
    if (stillFailing.length >= o.clearShare * lampCount) {
      const next: CabinetFaultState = { ...previous, coveredDeviceIds: [...covered].sort() };
      return {
        ...base,
        transition: 'continuing',
        condition: cabinetCondition(input.cabinetId, stillFailing, lampCount),
        coveredLampFaults: stillFailing,
        ...splitUncovered(failing.filter((f) => !covered.has(f.deviceId)), at, o),
        next,
      };
    }
    // Cleared: whatever still fails is the lamps' own business now.
    return { ...base, transition: 'cleared', coveredLampFaults: [], individualLampFaults: failing, pendingLampFaults: [], next: null };
  }

  const cluster = largestCluster(failing, o.togetherWithinMs);
  if (cluster.length > 0 && cluster.length >= o.openShare * lampCount) {
    // Lamps see the outage at their next report, so its onset is smeared over a reporting interval:
    // lamps that failed within `togetherWithinMs` before the densest cluster are the same outage.
    const clusterStart = cluster[0]?.since ?? at;
    const covered = failing.filter((f) => f.since >= clusterStart - o.togetherWithinMs);
    const since = Math.min(clusterStart, ...covered.map((f) => f.since));
    return {
      ...base,
      transition: 'opened',
      condition: cabinetCondition(input.cabinetId, covered, lampCount),
      coveredLampFaults: covered,
      // Lamps that failed before the outage began are separate faults (a lamp burnt out last week).
      individualLampFaults: failing.filter((f) => f.since < since),
      pendingLampFaults: [],
      next: { cabinetId: input.cabinetId, openedAt: at, since, coveredDeviceIds: covered.map((f) => f.deviceId).sort() },
    };
  }
  return { ...base, transition: 'none', coveredLampFaults: [], ...splitUncovered(failing, at, o), next: null };
}

/** All cabinets at once; `previous` holds the open cabinet faults by cabinetId. */
export function evaluateCabinets(
  previous: ReadonlyMap<string, CabinetFaultState>,
  cabinets: readonly CabinetLamps[],
  at: number,
  options: Partial<CabinetOptions> = {},
): { decisions: CabinetDecision[]; next: Map<string, CabinetFaultState> } {
  cabinetOptions(options); // fail fast on bad options even with no cabinets
  const next = new Map<string, CabinetFaultState>();
  const decisions: CabinetDecision[] = [];
  const seen = new Set<string>();
  for (const cabinet of cabinets) {
    seen.add(cabinet.cabinetId);
    const d = evaluateCabinet(previous.get(cabinet.cabinetId) ?? null, cabinet, at, options);
    decisions.push(d);
    if (d.next) next.set(cabinet.cabinetId, d.next);
  }
  // A cabinet absent from the input has no failing lamps and no lamps we know of: its fault cleared.
  for (const id of previous.keys()) {
    if (!seen.has(id)) decisions.push({ cabinetId: id, transition: 'cleared', coveredLampFaults: [], individualLampFaults: [], pendingLampFaults: [], next: null });
  }
  return { decisions, next };
}

export interface RegisteredLamp {
  deviceId: string;
  /** From the device's attributes; lamps without one cannot aggregate. */
  cabinetId?: string | undefined;
  /** Present when the lamp has an open lamp failure. */
  failure?: { since: number; code?: StreetlightFaultCode } | undefined;
}

/**
 * Groups registry lamps by cabinet for `evaluateCabinets`. Lamps without a cabinet come back in
 * `unassigned`: their failures are always individual.
 */
export function groupLampsByCabinet(lamps: readonly RegisteredLamp[]): { cabinets: CabinetLamps[]; unassigned: LampFailure[] } {
  const byCabinet = new Map<string, { lampCount: number; failing: LampFailure[] }>();
  const unassigned: LampFailure[] = [];
  for (const lamp of lamps) {
    const failure = lamp.failure ? { deviceId: lamp.deviceId, ...lamp.failure } : undefined;
    if (!lamp.cabinetId) {
      if (failure) unassigned.push(failure);
      continue;
    }
    let c = byCabinet.get(lamp.cabinetId);
    if (!c) byCabinet.set(lamp.cabinetId, (c = { lampCount: 0, failing: [] }));
    c.lampCount += 1;
    if (failure) c.failing.push(failure);
  }
  return { cabinets: [...byCabinet].map(([cabinetId, c]) => ({ cabinetId, ...c })), unassigned };
}

/** Largest set of failures whose onsets lie within `spanMs` of each other (sliding window). */
function largestCluster(failing: readonly LampFailure[], spanMs: number): LampFailure[] {
  const sorted = [...failing].sort((a, b) => a.since - b.since);
  let best: LampFailure[] = [];
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end]?.since ?? 0) - (sorted[start]?.since ?? 0) > spanMs) start++;
    if (end - start + 1 > best.length) best = sorted.slice(start, end + 1);
  }
  return best;
}

/** Uncovered failures: individual once held long enough, pending before. */
function splitUncovered(failures: readonly LampFailure[], at: number, o: CabinetOptions): Pick<CabinetDecision, 'individualLampFaults' | 'pendingLampFaults'> {
  const individualLampFaults: LampFailure[] = [];
  const pendingLampFaults: LampFailure[] = [];
  for (const f of failures) (at - f.since >= o.holdIndividualMs ? individualLampFaults : pendingLampFaults).push(f);
  return { individualLampFaults, pendingLampFaults };
}

function cabinetCondition(cabinetId: string, covered: readonly LampFailure[], lampCount: number): LampCondition {
  const onsets = covered.map((f) => f.since);
  const spreadMin = onsets.length > 0 ? (Math.max(...onsets) - Math.min(...onsets)) / MINUTE_MS : 0;
  const codes = new Map<string, number>();
  for (const f of covered) codes.set(f.code ?? 'lamp-failure', (codes.get(f.code ?? 'lamp-failure') ?? 0) + 1);
  const breakdown = [...codes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${n} ${code}`).join(', ');
  const noSupply = codes.get('no-supply') ?? 0;
  const dayBurning = covered.length > 0 && (codes.get('lit-in-daylight') ?? 0) >= covered.length / 2;
  const hint = dayBurning ? ': contactor or timer stuck on' : noSupply >= covered.length / 2 ? ': feeder without supply' : '';
  return {
    cause: 'cabinet-fault',
    code: dayBurning ? 'cabinet-day-burning' : 'cabinet-outage',
    detail: `${covered.length} of ${lampCount} lamps of cabinet ${cabinetId} ${dayBurning ? 'burning in daylight' : 'failed'} within ${fmt(spreadMin)} min (${breakdown})${hint}`,
  };
}

function cabinetOptions(options: Partial<CabinetOptions>): CabinetOptions {
  const o: CabinetOptions = { ...CABINET_DEFAULTS, ...options };
  for (const [key, v] of Object.entries(o)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${key}: must be a finite number ≥ 0, got ${v}`);
  }
  if (!(o.openShare > 0 && o.openShare <= 1)) throw new RangeError(`openShare: must be in (0, 1], got ${o.openShare}`);
  // clearShare > 0, or a fault with every lamp repaired would never clear.
  if (!(o.clearShare > 0 && o.clearShare <= o.openShare)) throw new RangeError(`clearShare: must be in (0, openShare], got ${o.clearShare}`);
  return o;
}

/** At-least-once inputs may repeat a lamp: keep its earliest onset. */
function dedupe(failing: readonly LampFailure[]): LampFailure[] {
  const byId = new Map<string, LampFailure>();
  for (const f of failing) {
    const seen = byId.get(f.deviceId);
    if (!seen || f.since < seen.since) byId.set(f.deviceId, f);
  }
  return [...byId.values()];
}
