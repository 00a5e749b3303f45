import type { Crew, Job, Vehicle } from '@sanitation/contracts';
import { describe, expect, it, vi } from 'vitest';
import { isOverdue, NO_FILTERS, parseUnitValue, unitsFor, visibleJobs, zonesOf } from '../src/features/jobs/job-queue.logic';
import { cityDayRange, formatCityTime, serverNow, syncServerClock } from '../src/app/server-time';

const NOW = Date.parse('2026-11-27T08:00:00Z');
const job = (over: Partial<Job>): Job =>
  ({
    jobId: 'j',
    type: 'collection',
    deviceId: 'bin-1',
    deviceKind: 'bin',
    zone: 'north',
    priority: 3,
    status: 'open',
    dueAt: '2026-11-27T10:00:00Z',
    updatedAt: '2026-11-27T07:00:00Z',
    flags: [],
    ...over,
  }) as Job;

describe('job queue order and filters', () => {
  it('puts overdue jobs first, then by priority, then by due time', () => {
    const list = [
      job({ jobId: 'p1-late-due', priority: 1, dueAt: '2026-11-27T12:00:00Z' }),
      job({ jobId: 'p3-overdue', priority: 3, dueAt: '2026-11-27T07:00:00Z' }),
      job({ jobId: 'p1-early-due', priority: 1, dueAt: '2026-11-27T09:00:00Z' }),
      job({ jobId: 'p4-flagged', priority: 4, flags: ['overdue'], dueAt: '2026-11-27T20:00:00Z' }),
      job({ jobId: 'p2', priority: 2 }),
    ];
    expect(visibleJobs(list, NO_FILTERS, NOW).map((j) => j.jobId)).toEqual(['p3-overdue', 'p4-flagged', 'p1-early-due', 'p1-late-due', 'p2']);
  });

  it('treats a job as overdue when flagged or past due while open, never once done', () => {
    expect(isOverdue(job({ dueAt: '2026-11-27T07:59:00Z' }), NOW)).toBe(true);
    expect(isOverdue(job({ flags: ['overdue'] }), NOW)).toBe(true);
    expect(isOverdue(job({}), NOW)).toBe(false);
    expect(isOverdue(job({ status: 'done', dueAt: '2026-11-27T07:00:00Z', flags: ['overdue'] }), NOW)).toBe(false);
  });

  it('filters by kind, zone, state and priority; the default view hides long-closed jobs', () => {
    const list = [
      job({ jobId: 'bin-n', zone: 'north' }),
      job({ jobId: 'lamp-s', deviceKind: 'streetlight', type: 'lamp-repair', zone: 'south', priority: 1, status: 'assigned' }),
      job({ jobId: 'done-now', status: 'done', updatedAt: '2026-11-27T07:58:00Z' }),
      job({ jobId: 'done-old', status: 'done', updatedAt: '2026-11-27T06:00:00Z' }),
    ];
    const ids = (f: Partial<typeof NO_FILTERS>) => visibleJobs(list, { ...NO_FILTERS, ...f }, NOW).map((j) => j.jobId);
    expect(ids({})).toEqual(['lamp-s', 'bin-n', 'done-now']);
    expect(ids({ kind: 'streetlight' })).toEqual(['lamp-s']);
    expect(ids({ zone: 'north' })).toEqual(['bin-n', 'done-now']);
    expect(ids({ status: 'assigned' })).toEqual(['lamp-s']);
    expect(ids({ status: 'done' })).toEqual(['done-now', 'done-old']);
    expect(ids({ priority: '1' })).toEqual(['lamp-s']);
    expect(zonesOf(list)).toEqual(['north', 'south']);
  });
});

describe('reassignment units', () => {
  it('offers only vehicles and crews with the skill the job type needs, least busy first', () => {
    const vehicles = [
      { vehicleId: 'truck-1', name: 'Compactor 1', skill: 'collection', activeJobs: 3 },
      { vehicleId: 'tanker-1', name: 'Tanker 1', skill: 'septic', activeJobs: 0 },
    ] as Vehicle[];
    const crews = [
      { crewId: 'crew-bin', name: 'Bin crew', skill: 'collection', activeJobs: 1 },
      { crewId: 'crew-light', name: 'Lights', skill: 'lighting', activeJobs: 0 },
    ] as Crew[];
    expect(unitsFor({ type: 'collection' }, vehicles, crews).map((u) => u.value)).toEqual(['crew:crew-bin', 'vehicle:truck-1']);
    expect(unitsFor({ type: 'pumping' }, vehicles, crews).map((u) => u.value)).toEqual(['vehicle:tanker-1']);
    expect(unitsFor({ type: 'lamp-repair' }, vehicles, crews).map((u) => u.value)).toEqual(['crew:crew-light']);
    expect(parseUnitValue('vehicle:truck-1')).toEqual({ unitType: 'vehicle', unitId: 'truck-1' });
    expect(parseUnitValue('nonsense')).toBeNull();
  });
});

describe('city time', () => {
  it('shows clock times in the city zone and finds its day boundaries', () => {
    expect(formatCityTime(NOW, NOW, 'Asia/Shanghai', 'en')).toBe('16:00');
    expect(cityDayRange('2026-11-27', 'Asia/Shanghai')).toEqual({ from: Date.parse('2026-11-26T16:00:00Z'), to: Date.parse('2026-11-27T16:00:00Z') });
    // A 23-hour day: Europe/Berlin springs forward on 2026-03-29.
    const r = cityDayRange('2026-03-29', 'Europe/Berlin')!;
    expect((r.to - r.from) / 3_600_000).toBe(23);
    expect(cityDayRange('27.11.2026', 'Asia/Shanghai')).toBeNull();
  });
});

describe('server clock', () => {
  it('follows a fast simulated clock from a fresh /ui-config answer', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'));
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ serverNow: NOW, clockSpeed: 600, cityTimeZone: 'Asia/Shanghai' }), { status: 200 }));
    await syncServerClock();
    expect(serverNow()).toBe(NOW);
    vi.advanceTimersByTime(6_000); // 6 s of wall time = 1 h at 600×
    expect(serverNow()).toBe(NOW + 3_600_000);
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });
});

describe('reload after a reconnect', () => {
  it('reloads when the socket comes back from a drop, not when the map only moves', async () => {
    const { Store } = await import('../src/state/store');
    const { onReconnect } = await import('../src/app/panel-hooks');
    const status = new Store<'offline' | 'connecting' | 'live' | 'error'>('live');
    const resynced = new Set<() => void>();
    const conn = { status, on: (_e: 'resynced', fn: () => void) => (resynced.add(fn), () => resynced.delete(fn)) };
    const resync = () => resynced.forEach((f) => f());
    let reloads = 0;
    const off = onReconnect(() => reloads++, conn);
    resync(); // the map subscribed a new area
    expect(reloads).toBe(0);
    status.set('connecting');
    status.set('live');
    resync();
    expect(reloads).toBe(1);
    resync();
    expect(reloads).toBe(1);
    off();
    status.set('error');
    resync();
    expect(reloads).toBe(1);
  });
});
