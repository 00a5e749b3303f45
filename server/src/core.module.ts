import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ADMIN_PASSWORD_SINK, type AdminPasswordSink } from './auth/auth.service.js';
import { CLOCK, ScaledClock, wallClock, type Clock } from './clock/clock.js';
import { SERVER_CONFIG, type ServerConfig } from './config/server.config.js';
import { DATABASE, type Database } from './database/database.js';
import { LOGGER, type Logger } from './logging/logger.js';

/** Closes the database last, after the consumers have flushed (onApplicationShutdown is the final phase). */
@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Database) {}
  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

export interface CoreDependencies {
  config: ServerConfig;
  logger: Logger;
  /** Opened and migrated before the app is built, so start-up fails early with the driver's message. */
  database: Database;
  printAdminPassword: AdminPasswordSink;
  /** Tests pass a ManualClock; otherwise the config decides (wall clock or scaled simulated time). */
  clock?: Clock;
}

export function clockFromConfig(config: ServerConfig): Clock {
  if (config.CLOCK_START === undefined && config.CLOCK_SPEED === 1) return wallClock;
  const anchor = config.CLOCK_ANCHOR ?? Date.now();
  return new ScaledClock(config.CLOCK_START ?? anchor, anchor, config.CLOCK_SPEED);
}

/** Process-wide singletons: config, logger, database, clock. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: CoreDependencies): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: SERVER_CONFIG, useValue: deps.config },
        { provide: LOGGER, useValue: deps.logger },
        { provide: DATABASE, useValue: deps.database },
        { provide: ADMIN_PASSWORD_SINK, useValue: deps.printAdminPassword },
        { provide: CLOCK, useValue: deps.clock ?? clockFromConfig(deps.config) },
        DatabaseCloser,
      ],
      exports: [SERVER_CONFIG, LOGGER, DATABASE, ADMIN_PASSWORD_SINK, CLOCK],
    };
  }
}
