import { Global, Module } from '@nestjs/common';
import { TaskRegistry } from './task.registry.js';

@Global()
@Module({ providers: [TaskRegistry], exports: [TaskRegistry] })
export class SchedulerModule {}
