import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createServerApp } from './app.js';
import { ConfigException, loadServerConfig, type ServerConfig } from './config/server.config.js';
import { createLogger } from './logging/logger.js';

export { createServerApp, type CreateServerAppOptions } from './app.js';
export { parseServerConfig, type ServerConfig } from './config/server.config.js';

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadServerConfig();
  } catch (err) {
    if (!(err instanceof ConfigException)) throw err;
    process.stderr.write(`server: ${err.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);
  try {
    const app = await createServerApp(config, { logger });
    await app.listen(config.PORT, config.HOST);
    const address = app.getHttpServer().address() as { port: number };
    const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    const url = `http://${shownHost}:${address.port}`;
    logger.info({ url }, 'server listening');
    process.stdout.write(
      `server listening on ${url}\n` +
        `  OpenAPI: ${url}/api/docs\n` +
        `  log in: POST ${url}/api/auth/login {"username":"admin","password":…} ` +
        `(${config.ADMIN_PASSWORD ? 'password from ADMIN_PASSWORD' : 'password printed at first start'})\n`,
    );
  } catch (err) {
    logger.fatal({ err }, 'server failed to start');
    process.stderr.write(`server: failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

// Run only as the entry point, so tests and tools can import createServerApp from here.
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) void main();
