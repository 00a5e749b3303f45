import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ADMIN_PASSWORD_SINK, type AdminPasswordSink } from './auth/auth.service.js';
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
}

/** Process-wide singletons: config, logger, database. */
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
        DatabaseCloser,
      ],
      exports: [SERVER_CONFIG, LOGGER, DATABASE, ADMIN_PASSWORD_SINK],
    };
  }
}
