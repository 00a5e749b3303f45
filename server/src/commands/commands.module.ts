import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { CommandsController } from './commands.controller.js';
import { CommandsRepository } from './commands.repository.js';
import { CommandsService } from './commands.service.js';

@Module({
  imports: [DevicesModule, IngestModule],
  controllers: [CommandsController],
  providers: [CommandsRepository, CommandsService],
  exports: [CommandsService],
})
export class CommandsModule {}
