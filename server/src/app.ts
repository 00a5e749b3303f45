import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import compression from 'compression';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { config as rxjsConfig } from 'rxjs';
import { AppModule } from './app.module.js';
import type { AdminPasswordSink } from './auth/auth.service.js';
import type { Clock } from './clock/clock.js';
import type { ServerConfig } from './config/server.config.js';
import { openDatabase } from './database/database.factory.js';
import { createLogger, PinoNestLogger, type Logger } from './logging/logger.js';
import { serveDashboard } from './map/dashboard.static.js';

export interface CreateServerAppOptions {
  /** Defaults to a pino logger at config.LOG_LEVEL on stdout. */
  logger?: Logger;
  /** Where a generated first admin password is printed; defaults to stdout. */
  printAdminPassword?: AdminPasswordSink;
  /** Overrides the configured clock (tests step time by hand). */
  clock?: Clock;
}

/** Largest JSON body: a 20,000-feature GeoJSON import is a few MB. */
const JSON_BODY_LIMIT = '32mb';

/**
 * Builds the server: opens and migrates the database, wires the Nest app (global prefix `/api`,
 * OpenAPI at `/api/docs`, shutdown hooks), runs bootstrap hooks (first admin, MQTT consumers),
 * and returns it initialised but NOT listening. Call `app.listen(config.PORT, config.HOST)`
 * (tests: `app.listen(0, '127.0.0.1')`) and `app.close()` to stop (closes MQTT, then the DB).
 */
export async function createServerApp(config: ServerConfig, options: CreateServerAppOptions = {}): Promise<INestApplication> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  // RxJS rethrows a subscriber's error asynchronously, which would kill the process: a faulty
  // consumer of ReadingsBus.readings$ must cost its own reading, not the server.
  rxjsConfig.onUnhandledError = (err) => logger.error({ err }, 'unhandled error in an RxJS subscriber');
  const database = await openDatabase(config);
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({
        config,
        logger,
        database,
        printAdminPassword: options.printAdminPassword ?? ((text) => process.stdout.write(text)),
        ...(options.clock ? { clock: options.clock } : {}),
      }),
      { logger: new PinoNestLogger(logger.child({ module: 'nest' })), abortOnError: false },
    );
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
  // gzip when the client accepts it: the map snapshot of 100,000 assets is ~13 MB of JSON, ~10× less zipped.
  app.use(compression());
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.setGlobalPrefix('api');
  if (config.DASHBOARD_DIR) serveDashboard(app, config.DASHBOARD_DIR, logger);
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Sanitation ops server')
      .setDescription('Device registry, operator auth and gateway credential sync')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  await app.init();
  return app;
}
