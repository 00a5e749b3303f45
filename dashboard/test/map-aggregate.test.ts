import type { MapSnapshot } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { STATE } from '../src/map/asset-state';
import { AssetStore } from '../src/map/asset-store';
import { AggregateGrid, GridBand } from '../src/map/aggregate-grid';

describe('GridBand', () => {
  it('moves a count between states of one cell when an asset changes state, and rebuilds only that cell', () => {
    const band = new GridBand(0.01, 1);
    band.add(121.005, 31.005, STATE['level-low'], 1);
    band.add(121.006, 31.006, STATE['level-low'], 1);
    band.add(121.055, 31.005, STATE['level-low'], 1);
    const first = band.collect();
    expect(first).toHaveLength(2);
    const key = band.keyOf(121.005, 31.005);
    expect(band.cell(key)).toMatchObject({ count: 2, worst: 0, problems: 0 });
    const other = first.find((f) => f.id !== key)!;

    band.move(121.005, 31.005, STATE['level-low'], 121.005, 31.005, STATE['level-full']);
    expect(band.dirtyCount).toBe(1);
    const second = band.collect();
    expect(band.cell(key)).toMatchObject({ count: 2, worst: 3, problems: 1, problemShare: 0.5 });
    expect(second.find((f) => f.id === other.id)).toBe(other); // untouched cell keeps its feature object
    expect(band.changed).toBe(false);
  });

  it('moves an asset to another cell and drops a cell that became empty', () => {
    const band = new GridBand(0.01, 1);
    band.add(121.005, 31.005, STATE.ok, 1);
    band.collect();
    band.move(121.005, 31.005, STATE.ok, 121.035, 31.005, STATE.offline);
    const cells = band.collect();
    expect(cells).toHaveLength(1);
    expect(cells[0]!.properties).toMatchObject({ count: 1, worst: -1, offline: 1, problemShare: 1 });
    expect(cells[0]!.geometry.coordinates[0]).toBeCloseTo(121.035);
  });
});

describe('AggregateGrid', () => {
  it('keeps every band consistent with the asset store through updates', () => {
    const store = new AssetStore(4);
    const grid = new AggregateGrid(31);
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 500; i++) {
      const c = store.put(`b${i}`, 'bin', 121 + rnd() * 0.2, 31 + rnd() * 0.15, STATE['level-low']);
      grid.add(store.lon[c.index]!, store.lat[c.index]!, STATE['level-low']);
    }
    for (let k = 0; k < 2000; k++) {
      const id = `b${Math.floor(rnd() * 500)}`;
      const state = rnd() < 0.1 ? STATE['level-full'] : STATE['level-mid'];
      const c = store.put(id, 'bin', 121 + rnd() * 0.2, 31 + rnd() * 0.15, state);
      grid.move(c.prevLon, c.prevLat, c.prevState, store.lon[c.index]!, store.lat[c.index]!, state);
    }
    const full = [...store.state.subarray(0, store.size)].filter((s) => s === STATE['level-full']).length;
    for (const band of grid.bands) {
      const cells = band.collect();
      expect(cells.reduce((n, f) => n + f.properties.count, 0)).toBe(500);
      expect(cells.reduce((n, f) => n + f.properties.problems, 0)).toBe(full);
    }
  });

  it('picks coarser cells when zoomed out', () => {
    const grid = new AggregateGrid(31);
    expect(grid.bandFor(10)).toBeLessThan(grid.bandFor(13));
    expect(grid.bands[grid.bandFor(12.4)]!.sizeDeg).toBe(0.005);
  });
});

describe('cell drawing and snapshot arrays', () => {
  it('colours an area by the share needing attention and grows it with the count', async () => {
    const { cellColour, cellRadius } = await import('../src/map/map-overlay');
    const { SEVERITY_COLOURS, STATE_COLOURS } = await import('../src/map/asset-state');
    expect(cellColour(3, 0.01)).toBe(SEVERITY_COLOURS[0]); // one full bin among hundreds stays green
    expect(cellColour(2, 0.08)).toBe(SEVERITY_COLOURS[1]);
    expect(cellColour(3, 0.3)).toBe(SEVERITY_COLOURS[3]);
    expect(cellColour(-1, 1)).toBe(STATE_COLOURS.offline);
    expect(cellRadius(400)).toBeGreaterThan(cellRadius(20));
    expect(cellRadius(1)).toBeGreaterThan(0);
  });

  it('turns a snapshot into typed arrays with trucks kept apart', async () => {
    const { snapshotArrays } = await import('../src/map/snapshot-arrays');
    const a = snapshotArrays({
      at: 1,
      devices: [
        { id: 'b1', kind: 'bin', name: null, zone: null, lat: 31, lon: 121, online: true, ts: 1, values: { fillPct: 90 } },
        { id: 't1', kind: 'truck', name: null, zone: null, lat: 31.1, lon: 121.1, online: false, ts: 1, values: null },
        { id: 'l1', kind: 'streetlight', name: null, zone: null, lat: 31.2, lon: 121.2, online: true, ts: 1, values: { lampOn: true, powerW: 80 } },
      ],
      trucks: [],
    });
    expect(a.ids).toEqual(['b1', 'l1']);
    expect([...a.state]).toEqual([STATE['level-high'], STATE['lamp-on']]);
    expect(a.lon[1]).toBe(121.2);
    expect(a.truckDevices).toEqual([{ id: 't1', lon: 121.1, lat: 31.1, online: false }]);
    const store = AssetStore.fromArrays(a.ids, a.lon, a.lat, a.state, a.kind);
    expect(store.indexOf('l1')).toBe(1);
    expect(store.kindAt(1)).toBe('streetlight');
    const grid = new AggregateGrid(31, [0.01], true);
    expect(grid.ensure(0, store).collect().reduce((n, f) => n + f.properties.count, 0)).toBe(2);
  });

  it('reads the columns snapshot into the same arrays as the object snapshot', async () => {
    const { snapshotArrays, snapshotArraysOf } = await import('../src/map/snapshot-arrays');
    const { mapSnapshotColumns } = await import('@sanitation/contracts');
    const snap: MapSnapshot = {
      at: 5,
      devices: [
        { id: 'b1', kind: 'bin' as const, name: 'Bin 1', zone: 'A', lat: 31, lon: 121, online: true, ts: 1, values: { fillPct: 90 } },
        { id: 'l1', kind: 'streetlight' as const, name: null, zone: null, lat: 31.2, lon: 121.2, online: true, ts: 1, values: { lampOn: false } },
        { id: 't1', kind: 'truck' as const, name: null, zone: 'A', lat: 31.1, lon: 121.1, online: false, ts: null, values: null },
        { id: 'b2', kind: 'bin' as const, name: null, zone: 'B', lat: 31.3, lon: 121.3, online: true, ts: 2, values: { fillPct: 10, tempC: 80 } },
        { id: 'b3', kind: 'bin' as const, name: null, zone: 'B', lat: 31.4, lon: 121.4, online: false, ts: null, values: null },
      ],
      trucks: [],
    };
    const columns = mapSnapshotColumns(snap);
    expect(JSON.stringify(columns).length).toBeLessThan(JSON.stringify(snap).length);
    const a = snapshotArraysOf(JSON.parse(JSON.stringify(columns)));
    const b = snapshotArrays(snap);
    const rows = (x: typeof a) => x.ids.map((id, i) => [id, x.lon[i], x.lat[i], x.state[i], x.kind[i]]).sort();
    expect(rows(a)).toEqual(rows(b));
    expect(rows(a).find((r) => r[0] === 'b2')?.[3]).toBe(STATE.alarm); // 80 °C: fire
    expect(a.truckDevices).toEqual(b.truckDevices);
    expect(a.at).toBe(5);
  });
});
