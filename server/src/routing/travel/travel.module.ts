import { Module } from '@nestjs/common';
import { SERVER_CONFIG, type ServerConfig } from '../../config/server.config.js';
import { DATABASE, type Database } from '../../database/database.js';
import { LOGGER, type Logger } from '../../logging/logger.js';
import { DbBasemapSource } from './basemap.source.js';
import { OsrmProvider } from './osrm.provider.js';
import { StraightLineProvider } from './straight-line.provider.js';
import { StreetGraphProvider } from './street-graph.provider.js';
import { TRAVEL_TIME_PROVIDER, type TravelTimeProvider } from './travel-time.provider.js';

/** The provider ROUTING_TRAVEL names (street-graph by default; see SERVER_CONFIG). */
export function travelProviderFromConfig(config: ServerConfig, db: Database, logger: Logger): TravelTimeProvider {
  const log = logger.child({ module: 'routing-travel' });
  const options = { DETOUR_FACTOR: config.ROUTING_DETOUR_FACTOR, AVERAGE_KMH: config.ROUTING_AVERAGE_KMH };
  switch (config.ROUTING_TRAVEL) {
    case 'straight-line':
      return new StraightLineProvider(options);
    case 'osrm':
      // parseServerConfig requires the URL with osrm
      return new OsrmProvider(config.ROUTING_OSRM_URL!, { ...options, OSRM_TIMEOUT_MS: config.ROUTING_OSRM_TIMEOUT_MS });
    case 'street-graph':
      return new StreetGraphProvider(new DbBasemapSource(db), options, log);
  }
}

/** Travel times for route planning and live tracking: provides and exports TRAVEL_TIME_PROVIDER. */
@Module({
  providers: [
    {
      provide: TRAVEL_TIME_PROVIDER,
      inject: [SERVER_CONFIG, DATABASE, LOGGER],
      useFactory: travelProviderFromConfig,
    },
  ],
  exports: [TRAVEL_TIME_PROVIDER],
})
export class TravelModule {}
