import type { Crew, Job, Vehicle } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { allowedTransitions, crewJobList, formatReading, geoUri, readingRows, unitKeysOf } from '../src/features/crew/crew-jobs';
import { fitWithin, needsReencode } from '../src/features/crew/photo-resize';

const job = (jobId: string, over: Partial<Job> = {}): Job =>
  ({
    jobId,
    status: 'assigned',
    priority: 3,
    dueAt: '2026-11-27T12:00:00.000Z',
    assignee: { unitType: 'crew', unitId: 'crew-1' },
    ...over,
  }) as Job;

describe('crew job list', () => {
  it('puts work under way first, then the most urgent, then the earliest due', () => {
    const list = crewJobList(
      [
        job('late-p3', { dueAt: '2026-11-27T15:00:00.000Z' }),
        job('early-p3', { dueAt: '2026-11-27T09:00:00.000Z' }),
        job('p1', { priority: 1, dueAt: '2026-11-28T00:00:00.000Z' }),
        job('en-route', { status: 'en_route', priority: 4 }),
        job('on-site', { status: 'on_site', priority: 4 }),
      ],
      new Set(['crew:crew-1']),
    );
    expect(list.map((j) => j.jobId)).toEqual(['on-site', 'en-route', 'p1', 'early-p3', 'late-p3']);
  });

  it("shows only the crew's own open jobs (a job reassigned away or closed drops off)", () => {
    const list = crewJobList(
      [
        job('mine'),
        job('other-crew', { assignee: { unitType: 'crew', unitId: 'crew-2' } }),
        job('truck', { assignee: { unitType: 'vehicle', unitId: 'crew-1' } }), // same id, but a truck they do not ride
        job('unassigned', { status: 'open', assignee: null }),
        job('done', { status: 'done' }),
        job('cancelled', { status: 'cancelled' }),
      ],
      new Set(['crew:crew-1']),
    );
    expect(list.map((j) => j.jobId)).toEqual(['mine']);
  });

  it('finds the crews an operator belongs to and the trucks they ride', () => {
    const crews = [
      { crewId: 'a', members: ['li', 'wang'] },
      { crewId: 'b', members: ['zhao'] },
      { crewId: 'c', members: ['li'] },
    ] as Crew[];
    const vehicles = [
      { vehicleId: 'truck-1', members: ['li'] },
      { vehicleId: 'truck-2', members: [] },
    ] as unknown as Vehicle[];
    const keys = unitKeysOf(crews, vehicles, 'li');
    expect([...keys].sort()).toEqual(['crew:a', 'crew:c', 'vehicle:truck-1']);
    expect(unitKeysOf(crews, vehicles, 'nobody').size).toBe(0);
    const list = crewJobList(
      [job('truck-job', { assignee: { unitType: 'vehicle', unitId: 'truck-1' } }), job('other-truck', { assignee: { unitType: 'vehicle', unitId: 'truck-2' } })],
      keys,
    );
    expect(list.map((j) => j.jobId)).toEqual(['truck-job']);
  });
});

describe('allowed transitions', () => {
  it('offers only forward steps from an assigned job, none from open or closed ones', () => {
    expect(allowedTransitions('open')).toEqual([]);
    expect(allowedTransitions('assigned')).toEqual(['en_route', 'on_site', 'done']);
    expect(allowedTransitions('en_route')).toEqual(['on_site', 'done']);
    expect(allowedTransitions('on_site')).toEqual(['done']);
    expect(allowedTransitions('done')).toEqual([]);
    expect(allowedTransitions('cancelled')).toEqual([]);
  });
});

describe('map link and readings', () => {
  it('builds a geo: URI the phone opens in its map app', () => {
    expect(geoUri(31.2304, 121.4737)).toBe('geo:31.2304,121.4737');
    expect(geoUri(31.23040001, 121.47370004, 'Bin 7')).toBe('geo:31.2304,121.4737?q=31.2304,121.4737(Bin%207)');
  });

  it('formats readings as sorted rows', () => {
    expect(readingRows({ fillPct: 81.456, battery: 3, lidOpen: false })).toEqual([
      { key: 'battery', value: '3' },
      { key: 'fillPct', value: '81.46' },
      { key: 'lidOpen', value: '✗' },
    ]);
    expect(readingRows(null)).toEqual([]);
    expect(formatReading(null)).toBe('—');
  });
});

describe('photo downscale sizing', () => {
  it('fits the longest side into 1600 px keeping the aspect ratio', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 1600, height: 1200, scaled: true });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600, scaled: true });
    expect(fitWithin(1600, 900)).toEqual({ width: 1600, height: 900, scaled: false });
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600, scaled: false });
    expect(fitWithin(10000, 3)).toEqual({ width: 1600, height: 1, scaled: true });
  });

  it('refuses an image without a size', () => {
    expect(() => fitWithin(0, 100)).toThrow(RangeError);
  });

  it('re-encodes large, heavy or unsupported images and keeps small ones', () => {
    expect(needsReencode({ type: 'image/jpeg', size: 300_000 }, { width: 1200, height: 900 })).toBe(false);
    expect(needsReencode({ type: 'image/jpeg', size: 300_000 }, { width: 4000, height: 3000 })).toBe(true);
    expect(needsReencode({ type: 'image/png', size: 6 * 1024 * 1024 }, { width: 1000, height: 1000 })).toBe(true);
    expect(needsReencode({ type: 'image/heic', size: 300_000 }, { width: 1000, height: 1000 })).toBe(true);
  });
});
