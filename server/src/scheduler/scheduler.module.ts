import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LeaseRepository } from './lease.repository.js';
import { SchedulerRunner } from './scheduler.runner.js';
import { TaskRegistry } from './task.registry.js';

@Global()
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [TaskRegistry, LeaseRepository, SchedulerRunner],
  exports: [TaskRegistry, SchedulerRunner],
})
export class SchedulerModule {}
