#!/usr/bin/env node
import { loadGatewayConfig, type GatewayConfig } from './config/gateway.config.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logger.js';

let config: GatewayConfig;
try {
  config = loadGatewayConfig();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}

const logger = createLogger(config);
const gateway = await startGateway(config, { logger }).catch((err: Error) => {
  logger.fatal({ err: err.message }, 'gateway failed to start');
  logger.flush();
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: committing the spool and flushing InfluxDB');
    gateway.stop().then(
      () => {
        logger.flush();
        process.exit(0);
      },
      (err: Error) => {
        logger.error({ err: err.message }, 'unclean stop');
        logger.flush();
        process.exit(1);
      },
    );
  });
}
