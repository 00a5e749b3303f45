import { describe, expect, it } from 'vitest';
import { AreaIndex } from '../../src/live/area-index.js';

function matches(index: AreaIndex<string>, lat: number, lon: number, zone: string | null = null): string[] {
  const out: string[] = [];
  index.match(lat, lon, zone, (m) => out.push(m));
  return out.sort();
}

describe('AreaIndex', () => {
  it('matches by bbox (edges included) and by zone, each member once', () => {
    const index = new AreaIndex<string>({ cellDeg: 0.05 });
    index.set('viewport', { bbox: [120.1, 30.2, 120.2, 30.3] });
    index.set('zones', { zones: ['A', 'B'] });
    index.set('both', { bbox: [120.1, 30.2, 120.2, 30.3], zones: ['A'] });
    expect(matches(index, 30.25, 120.15)).toEqual(['both', 'viewport']);
    expect(matches(index, 30.25, 120.15, 'A')).toEqual(['both', 'viewport', 'zones']);
    expect(matches(index, 30.3, 120.2)).toEqual(['both', 'viewport']); // north-east corner
    expect(matches(index, 30.31, 120.15)).toEqual([]);
    expect(matches(index, 40, 100, 'B')).toEqual(['zones']);
    expect(matches(index, Number.NaN, Number.NaN, 'A')).toEqual(['both', 'zones']);
  });

  it('handles negative coordinates and bboxes wider than the cell limit', () => {
    const index = new AreaIndex<string>({ cellDeg: 0.05, maxCellsPerArea: 100 });
    index.set('rio', { bbox: [-43.3, -23.0, -43.1, -22.8] });
    index.set('world', { bbox: [-180, -90, 180, 90] });
    expect(matches(index, -22.9, -43.2)).toEqual(['rio', 'world']);
    expect(matches(index, 22.9, 43.2)).toEqual(['world']);
  });

  it('forgets a member on delete and replaces its area on set', () => {
    const index = new AreaIndex<string>();
    index.set('c', { zones: ['A'] });
    index.set('c', { bbox: [0, 0, 1, 1] });
    expect(matches(index, 5, 5, 'A')).toEqual([]);
    expect(matches(index, 0.5, 0.5)).toEqual(['c']);
    index.delete('c');
    expect(matches(index, 0.5, 0.5)).toEqual([]);
    expect(index.size).toBe(0);
  });
});
