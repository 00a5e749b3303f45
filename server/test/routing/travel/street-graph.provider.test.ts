import type { Basemap } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { haversineM } from '../../../src/common/geo.js';
import type { BasemapSource } from '../../../src/routing/travel/basemap.source.js';
import { StreetGraphProvider } from '../../../src/routing/travel/street-graph.provider.js';
import { StreetRouter } from '../../../src/routing/travel/street-router.js';
import { TRAVEL_DEFAULTS, travelOptions } from '../../../src/routing/travel/travel.defaults.js';
import { at, BLOCK_M, DLAT, streetGrid } from './street-grid.fixture.js';

const OPTS = travelOptions();
const router = StreetRouter.fromBasemap(streetGrid(), OPTS)!;
const kmh = (k: number) => k / 3.6;

describe('street graph', () => {
  it('joins lines at shared coordinates: 7×4 grid nodes + 2 island nodes', () => {
    expect(router.graph.nodeCount).toBe(7 * 4 + 2);
    // rows: 4 × 6 segments, columns: 7 × 3, island: 1
    expect(router.graph.segCount).toBe(24 + 21 + 1);
  });

  it('the fastest path between two corners takes the main street: longer than the straight line, quicker than the local street', () => {
    const from = at(0, 0);
    const to = at(6, 0);
    const m = router.matrix([from, to]);
    expect(m.source).toBe('street-graph');
    expect(m.snapped).toEqual([true, true]);
    // up one block (local), 6 blocks on the main street, down one block (local)
    const viaMain = 2 * (BLOCK_M / kmh(20)) + (6 * BLOCK_M) / kmh(40);
    const alongLocal = (6 * BLOCK_M) / kmh(20);
    expect(viaMain).toBeLessThan(alongLocal);
    expect(m.durationS[1]).toBeCloseTo(viaMain, 0);
    expect(m.distanceM[1]).toBeCloseTo(8 * BLOCK_M, -1);
    expect(m.distanceM[1]).toBeGreaterThan(haversineM(from, to));
    expect(m.durationS[2]).toBeCloseTo(viaMain, 0); // and back
    expect(m.distanceM[0]).toBe(0);
  });

  it('path() follows the streets: through the main street corners', () => {
    const path = router.path(at(0, 0), at(6, 0));
    const lats = path.map(([, lat]) => lat);
    expect(path.length).toBeGreaterThanOrEqual(9);
    expect(lats.filter((lat) => Math.abs(lat - (at(0, 1).lat)) < 1e-9).length).toBe(7);
    expect(path[0]).toEqual([at(0, 0).lon, at(0, 0).lat]);
    expect(path[path.length - 1]).toEqual([at(6, 0).lon, at(6, 0).lat]);
  });

  it('a point beside a street snaps to it and the access distance is added', () => {
    const beside = { lon: at(3, 0).lon, lat: at(3, 0).lat - 30 / 111_195 }; // 30 m south of row 0
    const snap = router.snap(beside)!;
    expect(snap.accessM).toBeCloseTo(30, 0);
    expect(snap.lat).toBeCloseTo(at(3, 0).lat, 7);
    const onStreet = router.matrix([at(2, 0), at(3, 0)]);
    const off = router.matrix([at(2, 0), beside]);
    expect(off.snapped).toEqual([true, true]);
    expect(off.distanceM[1]! - onStreet.distanceM[1]!).toBeCloseTo(30, 0);
    // the path goes to the street point, then to the bin
    const path = router.path(at(2, 0), beside);
    expect(path[path.length - 2]![1]).toBeCloseTo(at(3, 0).lat, 7);
  });

  it('a point too far from every street falls back to the straight-line estimate and is marked unsnapped', () => {
    const far = { lon: at(3, 0).lon, lat: at(3, 0).lat - 5 * DLAT }; // ~1.1 km south of the grid
    const m = router.matrix([at(3, 0), far]);
    expect(m.snapped).toEqual([true, false]);
    const straight = haversineM(at(3, 0), far) * TRAVEL_DEFAULTS.DETOUR_FACTOR;
    expect(m.distanceM[1]).toBeCloseTo(straight, 3);
    expect(m.durationS[1]).toBeCloseTo(straight / kmh(TRAVEL_DEFAULTS.AVERAGE_KMH), 3);
    expect(router.path(at(3, 0), far)).toHaveLength(2);
  });

  it('a point on a street not connected to the others gets the straight-line estimate to them', () => {
    const island = at(20.5, 0);
    const m = router.matrix([at(6, 0), island]);
    expect(m.snapped).toEqual([true, true]);
    expect(m.distanceM[1]).toBeCloseTo(haversineM(at(6, 0), island) * TRAVEL_DEFAULTS.DETOUR_FACTOR, 3);
    expect(Number.isFinite(m.durationS[2])).toBe(true);
  });

  it('two points on the same street segment: the direct way along it', () => {
    const m = router.matrix([at(1.25, 0), at(1.75, 0)]);
    expect(m.distanceM[1]).toBeCloseTo(BLOCK_M / 2, 0);
  });
});

class FakeSource implements BasemapSource {
  constructor(
    public map: Basemap | null,
    public version = 'v1',
  ) {}
  stamp(): Promise<string | null> {
    return Promise.resolve(this.map ? this.version : null);
  }
  load(): Promise<Basemap | null> {
    return Promise.resolve(this.map);
  }
}

describe('street graph provider', () => {
  it('without a base map it answers with straight-line estimates; after an upload it uses the streets', async () => {
    const source = new FakeSource(null);
    const provider = new StreetGraphProvider(source, { GRAPH_CHECK_MS: 0 });
    const before = await provider.matrix([at(0, 0), at(6, 0)]);
    expect(before.source).toBe('straight-line');
    expect(provider.source).toBe('straight-line');
    source.map = streetGrid();
    const after = await provider.matrix([at(0, 0), at(6, 0)]);
    expect(after.source).toBe('street-graph');
    expect(after.distanceM[1]).toBeCloseTo(8 * BLOCK_M, -1);
    expect((await provider.path(at(0, 0), at(6, 0))).length).toBeGreaterThan(2);
  });

  it('rebuilds when the base map is replaced', async () => {
    const source = new FakeSource(streetGrid());
    const provider = new StreetGraphProvider(source, { GRAPH_CHECK_MS: 0 });
    expect((await provider.matrix([at(0, 0), at(6, 0)])).distanceM[1]).toBeCloseTo(8 * BLOCK_M, -1);
    const noMain = streetGrid();
    noMain.features = noMain.features.map((f) => (f.properties.id === 'row-1' ? { ...f, properties: { ...f.properties, class: 'local' } } : f));
    source.map = noMain;
    source.version = 'v2';
    const m = await provider.matrix([at(0, 0), at(6, 0)]);
    expect(m.distanceM[1]).toBeCloseTo(6 * BLOCK_M, -1); // the local street is now as fast and shorter
  });
});
