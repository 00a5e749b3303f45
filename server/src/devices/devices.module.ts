import { Module } from '@nestjs/common';
import { DeviceDirectory } from './device-directory.js';
import { DevicePresenceStore } from './device-presence.store.js';
import { DevicesController } from './devices.controller.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';
import { InternalCredentialsController } from './internal-credentials.controller.js';

@Module({
  controllers: [DevicesController, InternalCredentialsController],
  providers: [DevicesRepository, DevicesService, DevicePresenceStore, DeviceDirectory],
  exports: [DevicesRepository, DevicesService, DevicePresenceStore, DeviceDirectory],
})
export class DevicesModule {}
