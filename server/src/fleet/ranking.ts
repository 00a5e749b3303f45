import type { AssignmentProposal, JobType, LatLon, Shift, Skill } from '@sanitation/contracts';
import { JOB_SKILL } from '@sanitation/contracts';
import { haversineM } from '../common/geo.js';
import { inShift } from './shift.js';

/** A vehicle or crew as the ranking sees it. */
export interface UnitForRanking {
  unitType: 'vehicle' | 'crew';
  unitId: string;
  name: string;
  skill: Skill;
  shift: Shift;
  /** Vehicle: live GPS; crew: reported position, else its base. Null: unknown, cannot be estimated. */
  position: LatLon | null;
  /** Vehicles: payload and current load (null = no load reported yet, taken as empty). */
  capacityKg?: number;
  loadKg?: number | null;
  /** Crews: most jobs held at once. */
  capacityJobs?: number;
  /** Open jobs assigned to the unit now. */
  activeJobs: number;
}

export interface RankingOptions {
  utcOffsetMin: number;
  roadDetour: number;
  vehicleKmh: number;
  crewKmh: number;
}

export interface RankedCandidate extends AssignmentProposal {
  skill: Skill;
  activeJobs: number;
}

/** Why a unit cannot take the job now; null when it can. */
export function unavailableReason(job: { type: JobType }, unit: UnitForRanking, at: number, opts: RankingOptions): string | null {
  if (unit.skill !== JOB_SKILL[job.type]) return 'skill';
  if (!inShift(unit.shift, at, opts.utcOffsetMin)) return 'off-shift';
  if (unit.position === null) return 'no-position';
  if (unit.unitType === 'vehicle') {
    if ((unit.capacityKg ?? 0) - (unit.loadKg ?? 0) <= 0) return 'full';
  } else if (unit.activeJobs >= (unit.capacityJobs ?? 0)) {
    return 'busy';
  }
  return null;
}

/** Travel estimate: straight-line distance × road detour at the unit type's average speed. */
export function travelEstimate(from: LatLon, to: LatLon, unitType: 'vehicle' | 'crew', opts: RankingOptions): { distanceM: number; travelS: number } {
  const distanceM = haversineM(from, to) * opts.roadDetour;
  const kmh = unitType === 'vehicle' ? opts.vehicleKmh : opts.crewKmh;
  return { distanceM: Math.round(distanceM), travelS: Math.round(distanceM / (kmh / 3.6)) };
}

/**
 * Units that can take the job at `at`, fastest first (ties: fewer active jobs, then id). A unit
 * qualifies when it has the job's skill, is in shift, has a known position and capacity left.
 */
export function rankUnits(job: { type: JobType } & LatLon, units: readonly UnitForRanking[], at: number, opts: RankingOptions): RankedCandidate[] {
  const ranked: RankedCandidate[] = [];
  for (const unit of units) {
    if (unavailableReason(job, unit, at, opts) !== null) continue;
    const { distanceM, travelS } = travelEstimate(unit.position!, job, unit.unitType, opts);
    ranked.push({ unitType: unit.unitType, unitId: unit.unitId, name: unit.name, skill: unit.skill, activeJobs: unit.activeJobs, distanceM, travelS });
  }
  return ranked.sort((a, b) => a.travelS - b.travelS || a.activeJobs - b.activeJobs || a.unitId.localeCompare(b.unitId));
}

/** Should a standing proposal be replaced by `best`? Only for a different unit that is clearly faster, or when the proposed unit dropped out. */
export function shouldReplaceProposal(current: AssignmentProposal | null, ranked: readonly RankedCandidate[], minGainS: number): boolean {
  const best = ranked[0];
  if (!best) return current !== null;
  if (!current) return true;
  const stillThere = ranked.find((c) => c.unitType === current.unitType && c.unitId === current.unitId);
  if (!stillThere) return true;
  if (best.unitType === current.unitType && best.unitId === current.unitId) return false;
  return stillThere.travelS - best.travelS >= minGainS;
}
