import { describe, expect, it } from 'vitest';
import { haversineM } from '../../src/common/geo.js';
import { addSample, firstDrop, levelAt, levelDropped, type LevelSample } from '../../src/fleet/level-proof.js';
import { rankUnits, shouldReplaceProposal, travelEstimate, unavailableReason, type UnitForRanking } from '../../src/fleet/ranking.js';
import { inShift, localMinuteOfDay } from '../../src/fleet/shift.js';
import { isStopped, trackTruck, type TruckTrack } from '../../src/fleet/stop-detector.js';

const OPTS = { utcOffsetMin: 480, roadDetour: 1.3, vehicleKmh: 25, crewKmh: 20 };
/** 2026-06-01 10:00 in UTC+8. */
const T10 = Date.UTC(2026, 5, 1, 2, 0);
const DAY = { start: '06:00', end: '18:00' };
const JOB = { type: 'collection' as const, lat: 30.25, lon: 120.16 };
/** ~111 m per 0.001° of latitude. */
const north = (m: number) => ({ lat: JOB.lat + m / 111_195, lon: JOB.lon });

function vehicle(id: string, over: Partial<UnitForRanking> = {}): UnitForRanking {
  return { unitType: 'vehicle', unitId: id, name: id, skill: 'collection', shift: DAY, position: north(1000), capacityKg: 5000, loadKg: 0, activeJobs: 0, ...over };
}

describe('geo and shift', () => {
  it('haversine: 0.001° of latitude is ~111 m', () => {
    expect(haversineM({ lat: 30, lon: 120 }, { lat: 30.001, lon: 120 })).toBeCloseTo(111.2, 0);
  });

  it('shifts are local time (UTC+8), end exclusive, and may run over midnight', () => {
    expect(localMinuteOfDay(T10, 480)).toBe(600);
    expect(inShift(DAY, T10, 480)).toBe(true);
    expect(inShift(DAY, T10, 0)).toBe(false); // 02:00 UTC
    expect(inShift({ start: '06:00', end: '10:00' }, T10, 480)).toBe(false);
    const night = { start: '22:00', end: '06:00' };
    expect(inShift(night, T10, 480)).toBe(false);
    expect(inShift(night, T10 + 13 * 3_600_000, 480)).toBe(true); // 23:00
    expect(inShift(night, T10 + 19 * 3_600_000, 480)).toBe(true); // 05:00
    expect(inShift({ start: '00:00', end: '00:00' }, T10, 480)).toBe(true);
  });
});

describe('ranking', () => {
  it('travel estimate = distance × 1.3 at 25 km/h (vehicles) / 20 km/h (crews)', () => {
    const v = travelEstimate(north(1000), JOB, 'vehicle', OPTS);
    expect(v.distanceM).toBe(1300);
    expect(v.travelS).toBe(Math.round(1300 / (25 / 3.6)));
    expect(travelEstimate(north(1000), JOB, 'crew', OPTS).travelS).toBe(Math.round(1300 / (20 / 3.6)));
  });

  it('picks the nearest in-shift unit with the skill and capacity left', () => {
    const units: UnitForRanking[] = [
      vehicle('far', { position: north(3000) }),
      vehicle('near-but-tanker', { skill: 'septic', position: north(100) }),
      vehicle('near-but-off-shift', { shift: { start: '14:00', end: '22:00' }, position: north(150) }),
      vehicle('near-but-full', { loadKg: 5000, position: north(200) }),
      vehicle('no-gps', { position: null }),
      vehicle('nearest', { position: north(800) }),
      { unitType: 'crew', unitId: 'lighting', name: 'L', skill: 'lighting', shift: DAY, position: north(10), capacityJobs: 5, activeJobs: 0 },
    ];
    const ranked = rankUnits(JOB, units, T10, OPTS);
    expect(ranked.map((c) => c.unitId)).toEqual(['nearest', 'far']);
    expect(ranked[0]).toMatchObject({ unitType: 'vehicle', name: 'nearest', distanceM: 1040, skill: 'collection' });
    expect(unavailableReason(JOB, units[1]!, T10, OPTS)).toBe('skill');
    expect(unavailableReason(JOB, units[2]!, T10, OPTS)).toBe('off-shift');
    expect(unavailableReason(JOB, units[3]!, T10, OPTS)).toBe('full');
    expect(unavailableReason(JOB, units[4]!, T10, OPTS)).toBe('no-position');
  });

  it('a crew at capacity is skipped; equal travel goes to the less busy unit', () => {
    const job = { type: 'lamp-repair' as const, lat: JOB.lat, lon: JOB.lon };
    const crew = (id: string, activeJobs: number): UnitForRanking => ({
      unitType: 'crew', unitId: id, name: id, skill: 'lighting', shift: DAY, position: north(500), capacityJobs: 3, activeJobs,
    });
    expect(rankUnits(job, [crew('a-busy', 2), crew('b-idle', 0), crew('c-full', 3)], T10, OPTS).map((c) => c.unitId)).toEqual(['b-idle', 'a-busy']);
  });

  it('replaces a standing proposal only for a clearly faster unit, or when its unit dropped out', () => {
    const ranked = rankUnits(JOB, [vehicle('a', { position: north(1000) }), vehicle('b', { position: north(1100) })], T10, OPTS);
    const propose = (id: string, travelS: number) => ({ unitType: 'vehicle' as const, unitId: id, name: id, travelS, distanceM: 0 });
    expect(shouldReplaceProposal(null, ranked, 60)).toBe(true);
    expect(shouldReplaceProposal(propose('a', 187), ranked, 60)).toBe(false);
    expect(shouldReplaceProposal(propose('b', 206), ranked, 60)).toBe(false); // 19 s slower: not worth a change
    expect(shouldReplaceProposal(propose('gone', 10), ranked, 60)).toBe(true);
    expect(shouldReplaceProposal(propose('a', 10), [], 60)).toBe(true);
    expect(shouldReplaceProposal(null, [], 60)).toBe(false);
  });
});

describe('stop detection', () => {
  const opts = { stopSpeedKmh: 3, geofenceM: 50 };
  const fix = (ts: number, m: number, speedKmh?: number, ignition?: boolean) => ({ ts, ...north(m), ...(speedKmh === undefined ? {} : { speedKmh }), ...(ignition === undefined ? {} : { ignition }) });

  it('stopped = slow with ignition on or absent; ignition off is parked; no speed → derived from the previous fix', () => {
    expect(isStopped(fix(0, 0, 2), undefined, opts)).toBe(true);
    expect(isStopped(fix(0, 0, 2, true), undefined, opts)).toBe(true);
    expect(isStopped(fix(0, 0, 0, false), undefined, opts)).toBe(false);
    expect(isStopped(fix(0, 0, 20), undefined, opts)).toBe(false);
    expect(isStopped(fix(30_000, 5), fix(0, 0), opts)).toBe(true); // 5 m in 30 s
    expect(isStopped(fix(30_000, 200), fix(0, 0), opts)).toBe(false);
  });

  it('reports a stop once, on its first fix, with when the truck was last moving; stale fixes are ignored', () => {
    let track: TruckTrack | undefined;
    const step = (f: ReturnType<typeof fix>) => {
      const r = trackTruck(track, f, opts);
      if (r) track = r.track;
      return r;
    };
    expect(step(fix(0, 500, 30))?.started).toBeNull();
    expect(step(fix(30_000, 10, 0))?.started).toEqual({ since: 30_000, arrivedAfter: 0, ...north(10) });
    expect(step(fix(60_000, 12, 0))?.started).toBeNull(); // same stop
    expect(step(fix(45_000, 400, 30))).toBeNull(); // older than the last fix
    expect(step(fix(60_000, 12, 0))).toBeNull(); // replay
    expect(step(fix(90_000, 300, 25))?.started).toBeNull();
    expect(step(fix(120_000, 600, 1))?.started).toMatchObject({ since: 120_000, arrivedAfter: 90_000 });
  });
});

describe('level proof', () => {
  const opts = { dropPct: 30, emptyPct: 20 };
  it('a drop of ≥ 30 points, or to ≤ 20 % (lower than before), counts', () => {
    expect(levelDropped(85, 50, opts)).toBe(true);
    expect(levelDropped(85, 60, opts)).toBe(false);
    expect(levelDropped(45, 18, opts)).toBe(true);
    expect(levelDropped(15, 14, { dropPct: 30, emptyPct: null })).toBe(false);
    expect(levelDropped(15, 16, opts)).toBe(false);
    expect(levelDropped(null, 10, opts)).toBe(true);
    expect(levelDropped(null, 10, { dropPct: 30, emptyPct: null })).toBe(false);
  });

  it('keeps a short ts-ordered history; finds the level before a stop and the first drop after it', () => {
    const h: LevelSample[] = [];
    for (const [ts, pct] of [[100, 80], [300, 86], [200, 83], [500, 10], [400, 88]] as const) addSample(h, { ts, pct }, 4);
    expect(addSample(h, { ts: 400, pct: 1 }, 4)).toBe(false);
    expect(h.map((s) => s.ts)).toEqual([200, 300, 400, 500]);
    expect(levelAt(h, 450)).toEqual({ ts: 400, pct: 88 });
    expect(levelAt(h, 100)).toBeNull();
    expect(firstDrop(h, 88, 450, 10_000, opts)).toEqual({ ts: 500, pct: 10 });
    expect(firstDrop(h, 88, 500, 10_000, opts)).toBeNull();
    expect(firstDrop(h, 88, 450, 499, opts)).toBeNull();
  });
});
