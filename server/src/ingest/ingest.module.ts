import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { LastSeenWriter } from './last-seen.writer.js';
import { ReadingsBus } from './readings.bus.js';
import { ReadingsConsumer } from './readings.consumer.js';

@Module({
  imports: [DevicesModule],
  providers: [ReadingsBus, LastSeenWriter, ReadingsConsumer],
  exports: [ReadingsBus, ReadingsConsumer, LastSeenWriter],
})
export class IngestModule {}
