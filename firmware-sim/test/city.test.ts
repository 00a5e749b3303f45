import { describe, expect, it } from 'vitest';
import { deviceImportSchema, DEVICE_KINDS } from '@sanitation/contracts';
import { cityToDeviceImport, cityToGeoJson, generateCity } from '../src/index.js';
import { shortestPath } from '../src/city/route.planner.js';

function inRing(lon: number, lat: number, ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

describe('demo city', () => {
  it('is the same city for the same seed, and a different one for another seed', () => {
    const a = generateCity({ seed: 42, devices: 1000 });
    const b = generateCity({ seed: 42, devices: 1000 });
    expect(JSON.stringify(cityToGeoJson(b))).toBe(JSON.stringify(cityToGeoJson(a)));
    expect(a.devices.slice(0, 3).map((d) => d.id)).toEqual(['bin-00001', 'bin-00002', 'bin-00003']);
    const c = generateCity({ seed: 43, devices: 1000 });
    expect(c.devices.map((d) => [d.lat, d.lon])).not.toEqual(a.devices.map((d) => [d.lat, d.lon]));
  });

  it('has the realistic mix, at least one of each kind, unique ids', () => {
    const city = generateCity({ seed: 1, devices: 1000 });
    const count = (k: string) => city.devices.filter((d) => d.kind === k).length;
    expect(count('bin')).toBe(450);
    expect(count('streetlight')).toBe(350);
    expect(count('toilet')).toBe(80);
    expect(count('septic')).toBe(70);
    expect(count('truck')).toBe(50);
    expect(new Set(city.devices.map((d) => d.id)).size).toBe(1000);
    const small = generateCity({ seed: 1, devices: 7 });
    for (const kind of DEVICE_KINDS) expect(small.devices.some((d) => d.kind === kind), kind).toBe(true);
  });

  it('puts every device inside the city bounds and inside its zone polygon', () => {
    const city = generateCity({ seed: 9, devices: 3000 });
    const zones = new Map(city.zones.map((z) => [z.id, z]));
    const b = city.bounds;
    for (const d of city.devices) {
      expect(d.lat).toBeGreaterThanOrEqual(b.minLat - 1e-6);
      expect(d.lat).toBeLessThanOrEqual(b.maxLat + 1e-6);
      expect(d.lon).toBeGreaterThanOrEqual(b.minLon - 1e-6);
      expect(d.lon).toBeLessThanOrEqual(b.maxLon + 1e-6);
      const zone = zones.get(d.zone);
      expect(zone, d.id).toBeDefined();
      // On a shared border either zone is right; nudge 1 cm towards the zone centre.
      const [cx, cy] = zone!.ring.slice(0, 4).reduce(([x, y], [lon, lat]) => [x + lon / 4, y + lat / 4], [0, 0]);
      expect(inRing(d.lon + (cx - d.lon) * 1e-4, d.lat + (cy - d.lat) * 1e-4, zone!.ring), `${d.id} in ${d.zone}`).toBe(true);
    }
    // Centred on Hangzhou.
    expect((b.minLat + b.maxLat) / 2).toBeCloseTo(30.2741, 3);
    expect((b.minLon + b.maxLon) / 2).toBeCloseTo(120.1551, 3);
  });

  it('groups streetlights about 30 to a feeder cabinet, each lamp naming its cabinet', () => {
    const city = generateCity({ seed: 5, devices: 2000 });
    const lamps = city.devices.filter((d) => d.kind === 'streetlight');
    expect(city.cabinets.length).toBeGreaterThan(1);
    for (const cab of city.cabinets) expect(cab.lampIds.length).toBeGreaterThanOrEqual(20), expect(cab.lampIds.length).toBeLessThanOrEqual(40);
    for (const lamp of lamps) {
      const cab = city.cabinets.find((c) => c.id === lamp.attributes.cabinetId);
      expect(cab?.lampIds).toContain(lamp.id);
    }
    expect(city.cabinets.reduce((s, c) => s + c.lampIds.length, 0)).toBe(lamps.length);
  });

  it('has a connected street network with lengths, and the import body satisfies the contract', () => {
    const city = generateCity({ seed: 3, devices: 500 });
    for (const e of city.edges) expect(e.lengthM).toBeGreaterThan(10);
    const far = city.nodes.length - 1;
    const path = shortestPath(city, 0, far);
    expect(path[0]).toBe(0);
    expect(path[path.length - 1]).toBe(far);
    const body = cityToDeviceImport(city);
    expect(deviceImportSchema.safeParse(body).success).toBe(true);
    const geo = cityToGeoJson(city);
    const layers = new Set(geo.features.map((f) => f.properties.layer));
    expect([...layers].sort()).toEqual(['cabinet', 'depot', 'device', 'disposal', 'street', 'transfer', 'zone']);
  });
});
