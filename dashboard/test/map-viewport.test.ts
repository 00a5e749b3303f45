import { describe, expect, it } from 'vitest';
import { STATE } from '../src/map/asset-state';
import { AssetStore } from '../src/map/asset-store';
import { TruckMotion, turn } from '../src/map/truck-motion';
import { assetsInBbox, containsBbox, padBbox } from '../src/map/viewport';

describe('viewport filtering', () => {
  const store = new AssetStore();
  store.put('in-1', 'bin', 121.01, 31.01, STATE.ok);
  store.put('out-1', 'bin', 121.5, 31.01, STATE.ok);
  store.put('in-2', 'toilet', 121.02, 31.02, STATE.ok);

  it('returns only the assets inside the box', () => {
    const idx = assetsInBbox(store, [121, 31, 121.03, 31.03])!;
    expect(idx.map((i) => store.ids[i])).toEqual(['in-1', 'in-2']);
  });
  it('gives up once more than the limit are inside', () => {
    expect(assetsInBbox(store, [120, 30, 122, 32], 2)).toBeNull();
    expect(assetsInBbox(store, [120, 30, 122, 32], 3)).toHaveLength(3);
  });
  it('pads a box on every side and tests containment', () => {
    const padded = padBbox([121, 31, 121.1, 31.2], 0.1);
    expect(padded[0]).toBeCloseTo(120.99);
    expect(padded[3]).toBeCloseTo(31.22);
    expect(containsBbox(padded, [121, 31, 121.1, 31.2])).toBe(true);
    expect(containsBbox([121, 31, 121.1, 31.2], padded)).toBe(false);
  });
  it('updates an asset in place (same index, new state)', () => {
    const i = store.indexOf('in-1')!;
    const c = store.put('in-1', 'bin', 121.01, 31.01, STATE.alarm);
    expect(c).toMatchObject({ index: i, isNew: false, prevState: STATE.ok });
    expect(store.state[i]).toBe(STATE.alarm);
  });
});

describe('TruckMotion', () => {
  it('glides from the drawn position to the new fix and stops', () => {
    const m = new TruckMotion(1000);
    m.update('t1', 121, 31, 90, 0);
    expect(m.moving(0)).toBe(false);
    m.update('t1', 121.01, 31, 90, 100);
    expect(m.moving(600)).toBe(true);
    const mid = m.pose('t1', 600)!;
    expect(mid.lon).toBeGreaterThan(121);
    expect(mid.lon).toBeLessThan(121.01);
    expect(m.pose('t1', 1100)!.lon).toBeCloseTo(121.01);
    expect(m.moving(1100)).toBe(false);
  });
  it('turns the short way round', () => {
    expect(turn(350, 10)).toBe(20);
    expect(turn(10, 350)).toBe(-20);
    const m = new TruckMotion(1000);
    m.update('t', 121, 31, 350, 0);
    m.update('t', 121, 31.001, 10, 0);
    const h = m.pose('t', 500)!.heading;
    expect(h < 10 || h > 350).toBe(true);
  });
  it('points along the move when the fix has no heading', () => {
    const m = new TruckMotion(1000);
    m.update('t', 121, 31, 0, 0);
    m.update('t', 121.01, 31, null, 0);
    expect(m.pose('t', 1000)!.heading).toBeCloseTo(90);
  });
});
