import type { Alarm, Job } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { FrameBatcher } from '../src/live/frame-batcher';
import { alarmVersion } from '../src/state/dispatch.stores';
import { EntityStore } from '../src/state/entity.store';

describe('FrameBatcher', () => {
  it('hands over everything pushed between two frames in one call', () => {
    const frames: (() => void)[] = [];
    const applied: number[][] = [];
    const batcher = new FrameBatcher<number>((items) => applied.push(items), (cb) => frames.push(cb));
    batcher.push([1, 2]);
    batcher.push([3]);
    expect(frames).toHaveLength(1);
    expect(applied).toEqual([]);
    frames.shift()!();
    expect(applied).toEqual([[1, 2, 3]]);
    batcher.push([4]);
    frames.shift()!();
    expect(applied).toEqual([[1, 2, 3], [4]]);
  });
});

describe('EntityStore', () => {
  const job = (jobId: string, status: Job['status'], updatedAt: string) => ({ jobId, status, updatedAt }) as Job;
  it('keeps the newest version of each job whatever order updates arrive in', () => {
    const store = new EntityStore<Job>((j) => j.jobId, (j) => j.updatedAt);
    let notified = 0;
    store.subscribe(() => notified++);
    store.upsert([job('a', 'open', '2026-01-01T00:00:00.000Z'), job('b', 'open', '2026-01-01T00:00:00.000Z')]);
    store.upsert([job('a', 'done', '2026-01-01T00:05:00.000Z')]);
    store.upsert([job('a', 'assigned', '2026-01-01T00:01:00.000Z')]); // a late REST page
    expect(store.byId('a')?.status).toBe('done');
    expect(store.get().size).toBe(2);
    expect(notified).toBe(2);
  });

  it('orders alarm versions open < escalated < acknowledged < resolved', () => {
    const base = { openedAt: '2026-01-01T00:00:00.000Z', acknowledgedAt: null, resolvedAt: null, escalations: 0 } as unknown as Alarm;
    const escalated = { ...base, escalations: 1 };
    const acked = { ...escalated, acknowledgedAt: '2026-01-01T00:30:00.000Z' };
    const resolved = { ...acked, resolvedAt: '2026-01-01T01:00:00.000Z' };
    const versions = [base, escalated, acked, resolved].map(alarmVersion);
    expect([...versions].sort()).toEqual(versions);
    expect(new Set(versions).size).toBe(4);
  });
});
