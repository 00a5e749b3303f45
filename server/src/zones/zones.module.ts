import { Global, Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { ZONE_LOCATOR } from '../devices/zone-locator.js';
import { ZonesController } from './zones.controller.js';
import { ZonesRepository } from './zones.repository.js';
import { ZonesService } from './zones.service.js';

/** Global so DevicesService can locate a new device's zone without importing this module (which imports it). */
@Global()
@Module({
  imports: [DevicesModule],
  controllers: [ZonesController],
  providers: [ZonesRepository, ZonesService, { provide: ZONE_LOCATOR, useExisting: ZonesService }],
  exports: [ZonesService, ZONE_LOCATOR],
})
export class ZonesModule {}
