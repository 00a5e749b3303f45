import { BASEMAP_LAYERS, MAX_BASEMAP_FEATURES, basemapSchema } from '@sanitation/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cityToBasemap, generateCity } from '../src/index.js';
import { provisionFleet } from '../src/provision/provision.service.js';
import { ProvisioningStandIn } from './helpers/provisioning-stand-in.js';

describe("the demo city's base map", () => {
  it('parses with the contract: every base layer, no devices, flat scalar properties, well under the limits', () => {
    const city = generateCity({ seed: 11, devices: 1000 });
    const basemap = cityToBasemap(city);
    const parsed = basemapSchema.safeParse(basemap);
    expect(parsed.success ? [] : parsed.error.issues.slice(0, 3)).toEqual([]);
    expect(new Set(basemap.features.map((f) => f.properties.layer))).toEqual(new Set(BASEMAP_LAYERS));
    const ids = new Set(basemap.features.map((f) => f.properties.id));
    for (const d of city.devices) expect(ids.has(d.id), d.id).toBe(false);
    expect(basemap.features.filter((f) => f.properties.layer === 'street')).toHaveLength(city.edges.length);
    expect(basemap.features.filter((f) => f.properties.layer === 'zone')).toHaveLength(city.zones.length);
    expect(basemap.features.filter((f) => f.properties.layer === 'cabinet')).toHaveLength(city.cabinets.length);
    expect(basemap.properties).toEqual({
      name: city.name,
      center: [city.center.lon, city.center.lat],
      bbox: [city.bounds.minLon, city.bounds.minLat, city.bounds.maxLon, city.bounds.maxLat],
    });
    // Well under the schema's feature cap and the server's 32 MB JSON body limit.
    expect(basemap.features.length).toBeLessThan(MAX_BASEMAP_FEATURES / 10);
    expect(Buffer.byteLength(JSON.stringify(basemap))).toBeLessThan(2 * 1024 * 1024);
  });

  it('provisioning uploads it with the admin token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-basemap-'));
    const server = await new ProvisioningStandIn('pw-123').start();
    try {
      const city = generateCity({ seed: 7, devices: 40 });
      const logs: string[] = [];
      await provisionFleet(city, { serverUrl: server.url, adminUser: 'admin', adminPassword: 'pw-123', credentialsFile: join(dir, 'c.json'), log: (m) => logs.push(m) });
      expect(server.calls).toContain('PUT /api/map/basemap');
      expect(server.basemap).toEqual(cityToBasemap(city));
      expect(logs.some((l) => /base map uploaded/.test(l))).toBe(true);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
