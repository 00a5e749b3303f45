import { describe, expect, it } from 'vitest';
import { StraightLineProvider } from '../../../src/routing/travel/straight-line.provider.js';

const A = { lon: 120.16, lat: 30.25 };
/** ~1112 m north of A. */
const B = { lon: 120.16, lat: 30.26 };

describe('straight-line provider', () => {
  it('distance = haversine × 1.3, time at 25 km/h, symmetric, zero on the diagonal', async () => {
    const m = await new StraightLineProvider().matrix([A, B]);
    expect(m.source).toBe('straight-line');
    expect(m.size).toBe(2);
    expect(m.distanceM[0]).toBe(0);
    expect(m.distanceM[1]).toBeCloseTo(1111.95 * 1.3, 0);
    expect(m.distanceM[2]).toBe(m.distanceM[1]);
    expect(m.durationS[1]).toBeCloseTo((1111.95 * 1.3) / (25 / 3.6), 0);
    expect(m.snapped).toEqual([true, true]);
  });

  it('settings can be overridden', async () => {
    const m = await new StraightLineProvider({ DETOUR_FACTOR: 1, AVERAGE_KMH: 36 }).matrix([A, B]);
    expect(m.distanceM[1]).toBeCloseTo(1111.95, 0);
    expect(m.durationS[1]).toBeCloseTo(111.2, 0);
  });

  it('the path is the straight segment', async () => {
    expect(await new StraightLineProvider().path(A, B)).toEqual([
      [A.lon, A.lat],
      [B.lon, B.lat],
    ]);
  });
});
