import { hostname } from 'node:os';
import { z } from 'zod';
import { GatewayErrorCode, GatewayException } from '../gateway.exception.js';

/** Every default in one place, with its unit. */
export const GATEWAY_DEFAULTS = {
  MQTT_HOST: '0.0.0.0',
  MQTT_PORT: 1883, // TCP port, 0 = ephemeral
  MQTT_WS_PORT: 8083, // TCP port of MQTT over WebSocket, 0 = ephemeral
  GATEWAY_HTTP_PORT: 8084, // /healthz, /metrics, /stats
  SERVER_URL: 'http://127.0.0.1:8080',
  CREDENTIAL_SYNC_MS: 1000, // ms between credential polls
  SPOOL_DIR: '.data/spool',
  INFLUX_API: 1, // 1 = InfluxDB 1.x /write, 2 = /api/v2/write
  INFLUX_URL: 'http://127.0.0.1:8086',
  INFLUX_DB: 'sanitation',
  INFLUX_RP: '', // empty = the database's default retention policy
  INFLUX_BUCKET: 'sanitation',
  INFLUX_BATCH_POINTS: 10_000, // points per InfluxDB write request (at most; smaller when the backlog is)
  INFLUX_CONCURRENCY: 2, // InfluxDB write requests in flight; the checkpoint covers only the confirmed prefix
  INFLUX_GZIP: 'auto', // gzip request bodies > 1000 bytes: auto = unless INFLUX_URL is loopback (CPU for nothing)
  SPOOL_CHECKPOINT_MS: 1000, // ms, at most one checkpoint file rewrite (fsync) per interval
  MAX_PACKET_BYTES: 1024 * 1024, // bytes, whole MQTT packet incl. fixed header
  CONNECT_TIMEOUT_MS: 10_000, // ms from TCP accept to CONNECT
  KEEPALIVE_MAX_S: 300, // s; see connect.hook.ts for how the cap is enforced
  PUBLISH_RATE_PER_S: 50, // sustained PUBLISH packets per second per device
  PUBLISH_BURST: 200, // token bucket size, PUBLISH packets
  LOG_LEVEL: 'info',
} as const;

const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  MQTT_HOST: z.string().min(1).default(GATEWAY_DEFAULTS.MQTT_HOST),
  MQTT_PORT: port.default(GATEWAY_DEFAULTS.MQTT_PORT),
  MQTT_WS_PORT: port.default(GATEWAY_DEFAULTS.MQTT_WS_PORT),
  GATEWAY_HTTP_PORT: port.default(GATEWAY_DEFAULTS.GATEWAY_HTTP_PORT),
  GATEWAY_ID: z.string().min(1).max(128).optional(),
  SERVER_URL: z.url().default(GATEWAY_DEFAULTS.SERVER_URL),
  INTERNAL_TOKEN: z.string({ error: 'is required (shared secret with the server)' }).min(16, 'must be at least 16 characters'),
  CREDENTIAL_SYNC_MS: positiveInt.default(GATEWAY_DEFAULTS.CREDENTIAL_SYNC_MS),
  SPOOL_DIR: z.string().min(1).default(GATEWAY_DEFAULTS.SPOOL_DIR),
  SPOOL_CHECKPOINT_MS: z.coerce.number().int().min(0).max(60_000).default(GATEWAY_DEFAULTS.SPOOL_CHECKPOINT_MS),
  INFLUX_API: z.enum(['1', '2']).default(String(GATEWAY_DEFAULTS.INFLUX_API) as '1').transform((v) => Number(v) as 1 | 2),
  INFLUX_URL: z.url().default(GATEWAY_DEFAULTS.INFLUX_URL),
  INFLUX_DB: z.string().min(1).default(GATEWAY_DEFAULTS.INFLUX_DB),
  INFLUX_RP: z.string().default(GATEWAY_DEFAULTS.INFLUX_RP),
  INFLUX_USER: z.string().optional(),
  INFLUX_PASSWORD: z.string().optional(),
  INFLUX_TOKEN: z.string().optional(),
  INFLUX_ORG: z.string().optional(),
  INFLUX_BUCKET: z.string().min(1).default(GATEWAY_DEFAULTS.INFLUX_BUCKET),
  INFLUX_BATCH_POINTS: positiveInt.max(50_000).default(GATEWAY_DEFAULTS.INFLUX_BATCH_POINTS),
  INFLUX_CONCURRENCY: positiveInt.max(16).default(GATEWAY_DEFAULTS.INFLUX_CONCURRENCY),
  INFLUX_GZIP: z.enum(['auto', 'true', 'false']).default(GATEWAY_DEFAULTS.INFLUX_GZIP),
  MAX_PACKET_BYTES: positiveInt.min(64).max(268_435_455).default(GATEWAY_DEFAULTS.MAX_PACKET_BYTES),
  CONNECT_TIMEOUT_MS: positiveInt.default(GATEWAY_DEFAULTS.CONNECT_TIMEOUT_MS),
  KEEPALIVE_MAX_S: positiveInt.max(65535).default(GATEWAY_DEFAULTS.KEEPALIVE_MAX_S),
  PUBLISH_RATE_PER_S: z.coerce.number().positive().default(GATEWAY_DEFAULTS.PUBLISH_RATE_PER_S),
  PUBLISH_BURST: positiveInt.default(GATEWAY_DEFAULTS.PUBLISH_BURST),
  MQTT_AUTH_DISABLED: boolFromEnv.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(GATEWAY_DEFAULTS.LOG_LEVEL),
});

/** How the InfluxDB writer sends (both APIs). */
export interface InfluxWriteTuning {
  batchPoints: number;
  concurrency: number;
  gzip: boolean;
}

export type InfluxConfig =
  | ({ api: 1; url: string; database: string; retentionPolicy: string; username?: string; password?: string } & InfluxWriteTuning)
  | ({ api: 2; url: string; token: string; org: string; bucket: string } & InfluxWriteTuning);

/** Loopback hosts: compressing a body that never leaves the machine only costs CPU. */
function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

export interface GatewayConfig {
  mqttHost: string;
  mqttPort: number;
  mqttWsPort: number;
  httpPort: number;
  gatewayId: string;
  serverUrl: string;
  internalToken: string;
  credentialSyncMs: number;
  spoolDir: string;
  spoolCheckpointMs: number;
  influx: InfluxConfig;
  maxPacketBytes: number;
  connectTimeoutMs: number;
  keepaliveMaxS: number;
  publishRatePerS: number;
  publishBurst: number;
  authDisabled: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/**
 * Pure: builds the gateway config from an env-like record; throws a GatewayException naming every
 * bad setting. Tests call it with a literal object; main.ts calls it once with process.env.
 */
export function parseGatewayConfig(env: Record<string, string | undefined>): GatewayConfig {
  // Empty strings count as unset so `FOO=` in a shell falls back to the default.
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') cleaned[key] = value;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new GatewayException(GatewayErrorCode.CONFIG_INVALID, `invalid gateway configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.MQTT_AUTH_DISABLED && e.NODE_ENV !== 'development') {
    problems.push('MQTT_AUTH_DISABLED: may only be set with NODE_ENV=development (it lets any client publish anything)');
  }
  if (e.INFLUX_API === 2) {
    if (!e.INFLUX_TOKEN) problems.push('INFLUX_TOKEN: is required when INFLUX_API=2');
    if (!e.INFLUX_ORG) problems.push('INFLUX_ORG: is required when INFLUX_API=2');
  }
  if (problems.length > 0) {
    throw new GatewayException(GatewayErrorCode.CONFIG_INVALID, `invalid gateway configuration: ${problems.join('; ')}`);
  }
  const tuning: InfluxWriteTuning = {
    batchPoints: e.INFLUX_BATCH_POINTS,
    concurrency: e.INFLUX_CONCURRENCY,
    gzip: e.INFLUX_GZIP === 'auto' ? !isLoopback(e.INFLUX_URL) : e.INFLUX_GZIP === 'true',
  };
  return {
    mqttHost: e.MQTT_HOST,
    mqttPort: e.MQTT_PORT,
    mqttWsPort: e.MQTT_WS_PORT,
    httpPort: e.GATEWAY_HTTP_PORT,
    gatewayId: e.GATEWAY_ID ?? hostname(),
    serverUrl: e.SERVER_URL.replace(/\/+$/, ''),
    internalToken: e.INTERNAL_TOKEN,
    credentialSyncMs: e.CREDENTIAL_SYNC_MS,
    spoolDir: e.SPOOL_DIR,
    spoolCheckpointMs: e.SPOOL_CHECKPOINT_MS,
    influx:
      e.INFLUX_API === 1
        ? {
            api: 1,
            url: e.INFLUX_URL.replace(/\/+$/, ''),
            database: e.INFLUX_DB,
            retentionPolicy: e.INFLUX_RP,
            username: e.INFLUX_USER,
            password: e.INFLUX_PASSWORD,
            ...tuning,
          }
        : {
            api: 2,
            url: e.INFLUX_URL.replace(/\/+$/, ''),
            token: e.INFLUX_TOKEN!,
            org: e.INFLUX_ORG!,
            bucket: e.INFLUX_BUCKET,
            ...tuning,
          },
    maxPacketBytes: e.MAX_PACKET_BYTES,
    connectTimeoutMs: e.CONNECT_TIMEOUT_MS,
    keepaliveMaxS: e.KEEPALIVE_MAX_S,
    publishRatePerS: e.PUBLISH_RATE_PER_S,
    publishBurst: e.PUBLISH_BURST,
    authDisabled: e.MQTT_AUTH_DISABLED,
    logLevel: e.LOG_LEVEL,
  };
}

/** The process's configuration: the only place the gateway reads `process.env`. */
export function loadGatewayConfig(): GatewayConfig {
  return parseGatewayConfig(process.env);
}
