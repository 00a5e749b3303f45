import { Injectable } from '@nestjs/common';
import type { PeriodicTask } from './periodic-task.js';

/** Where modules register their periodic tasks (see periodic-task.ts). */
@Injectable()
export class TaskRegistry {
  private readonly tasks = new Map<string, PeriodicTask>();

  register(task: PeriodicTask): void {
    if (this.tasks.has(task.name)) throw new Error(`periodic task "${task.name}" registered twice`);
    this.tasks.set(task.name, task);
  }

  list(): PeriodicTask[] {
    return [...this.tasks.values()];
  }
}
