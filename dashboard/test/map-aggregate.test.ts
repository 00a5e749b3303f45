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
