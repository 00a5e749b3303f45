import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../../src/config/server.config.js';
import type { Database } from '../../../src/database/database.js';
import { migrate } from '../../../src/database/migrator.js';
import { PgliteDatabase } from '../../../src/database/pglite.driver.js';
import { createLogger } from '../../../src/logging/logger.js';
import { BasemapRepository } from '../../../src/map/basemap.repository.js';
import { DbBasemapSource } from '../../../src/routing/travel/basemap.source.js';
import { OsrmProvider } from '../../../src/routing/travel/osrm.provider.js';
import { StraightLineProvider } from '../../../src/routing/travel/straight-line.provider.js';
import { StreetGraphProvider } from '../../../src/routing/travel/street-graph.provider.js';
import { travelProviderFromConfig } from '../../../src/routing/travel/travel.module.js';
import { at, BLOCK_M, streetGrid } from './street-grid.fixture.js';

const TOKEN = 'test-internal-token-0123456789';
let db: Database;
beforeAll(async () => {
  db = await PgliteDatabase.open();
  await migrate(db);
});
afterAll(() => db.close());

const logger = createLogger('silent');

describe('travel provider by config', () => {
  it('street-graph by default; straight-line and osrm when asked; osrm needs its URL', () => {
    expect(travelProviderFromConfig(parseServerConfig({ INTERNAL_TOKEN: TOKEN }), db, logger)).toBeInstanceOf(StreetGraphProvider);
    expect(travelProviderFromConfig(parseServerConfig({ INTERNAL_TOKEN: TOKEN, ROUTING_TRAVEL: 'straight-line' }), db, logger)).toBeInstanceOf(StraightLineProvider);
    const osrm = parseServerConfig({ INTERNAL_TOKEN: TOKEN, ROUTING_TRAVEL: 'osrm', ROUTING_OSRM_URL: 'http://osrm:5000' });
    expect(travelProviderFromConfig(osrm, db, logger)).toBeInstanceOf(OsrmProvider);
    expect(() => parseServerConfig({ INTERNAL_TOKEN: TOKEN, ROUTING_TRAVEL: 'osrm' })).toThrow(/ROUTING_OSRM_URL: is required/);
    expect(() => parseServerConfig({ INTERNAL_TOKEN: TOKEN, ROUTING_TRAVEL: 'valhalla' })).toThrow(/ROUTING_TRAVEL: must be street-graph, straight-line or osrm/);
  });

  it('the detour factor and average speed of straight-line estimates come from the config', async () => {
    const config = parseServerConfig({ INTERNAL_TOKEN: TOKEN, ROUTING_TRAVEL: 'straight-line', ROUTING_DETOUR_FACTOR: '1', ROUTING_AVERAGE_KMH: '36' });
    const m = await travelProviderFromConfig(config, db, logger).matrix([at(0, 0), at(0, 3)]);
    expect(m.distanceM[1]).toBeCloseTo(3 * BLOCK_M, 0);
    expect(m.durationS[1]).toBeCloseTo((3 * BLOCK_M) / 10, 0);
    expect(() => parseServerConfig({ INTERNAL_TOKEN: TOKEN, ROUTING_DETOUR_FACTOR: '0.5' })).toThrow(/ROUTING_DETOUR_FACTOR: must be >= 1/);
  });

  it('the street graph follows the stored base map: none → straight line, uploaded → streets, replaced → rebuilt', async () => {
    const provider = new StreetGraphProvider(new DbBasemapSource(db), { GRAPH_CHECK_MS: 0 });
    expect((await provider.matrix([at(0, 0), at(6, 0)])).source).toBe('straight-line');
    const repo = new BasemapRepository(db);
    await repo.save(streetGrid(), Date.UTC(2026, 0, 1), 'admin');
    const first = await provider.matrix([at(0, 0), at(6, 0)]);
    expect(first.source).toBe('street-graph');
    expect(first.distanceM[1]).toBeCloseTo(8 * BLOCK_M, -1);
    const withoutRow1 = streetGrid();
    withoutRow1.features = withoutRow1.features.filter((f) => f.properties.id !== 'row-1');
    await repo.save(withoutRow1, Date.UTC(2026, 0, 2), 'admin');
    expect((await provider.matrix([at(0, 0), at(6, 0)])).distanceM[1]).toBeCloseTo(6 * BLOCK_M, -1);
  });
});
