import { destination, pino, type Logger } from 'pino';
import type { GatewayConfig } from './config/gateway.config.js';

/** Asynchronous destination: logging must never block the ingest path. */
export function createLogger(config: Pick<GatewayConfig, 'logLevel' | 'gatewayId'>): Logger {
  return pino(
    { level: config.logLevel, base: { gatewayId: config.gatewayId } },
    destination({ sync: false }),
  );
}
