import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { AssetStateStore } from './asset-state.store.js';
import { BasemapRepository } from './basemap.repository.js';
import { DeviceNamesRepository } from './device-names.repository.js';
import { MapController } from './map.controller.js';
import { MapService } from './map.service.js';
import { UiConfigController } from './ui-config.controller.js';

/** What the ops dashboard needs besides the live stream: ui-config, the base map, the asset snapshot. */
@Module({
  imports: [DevicesModule],
  controllers: [UiConfigController, MapController],
  providers: [BasemapRepository, DeviceNamesRepository, AssetStateStore, MapService],
  exports: [AssetStateStore],
})
export class MapModule {}
