import { z } from 'zod';

/**
 * Server settings, read from the environment once at start-up (nothing else reads `process.env`).
 * Defaults live in one object; units in the comments.
 */
export const SERVER_DEFAULTS = {
  PORT: 8080, // TCP port of the HTTP API
  HOST: '0.0.0.0',
  DATA_DIR: '.data', // PGlite lives in DATA_DIR/pglite
  GATEWAY_MQTT_URLS: 'mqtt://127.0.0.1:1883', // comma-separated gateway brokers
  SERVER_INSTANCE: 'main', // stable per instance: MQTT clientId/username `server-<instance>`
  INFLUX_API: '1', // 1 = InfluxDB 1.x (/query, /ping), 2 = InfluxDB 2.x
  INFLUX_URL: 'http://127.0.0.1:8086',
  INFLUX_DB: 'sanitation',
  TOKEN_TTL_H: 12, // operator bearer-token lifetime, hours
  LOG_LEVEL: 'info',
  LAST_SEEN_FLUSH_MS: 1000, // how often batched last_seen_at updates are written, milliseconds
  CLOCK_SPEED: 1, // simulated ms per wall ms (1 = real time; the simulator's speed in demos/tests)
  SCHEDULER_TICK_MS: 500, // how often the scheduler looks for due periodic tasks, wall ms (0 = off: tests drive tasks by hand)
  OFFLINE_CHECK_MS: 1000, // offline detection period, wall ms
  CABINET_CHECK_MS: 1000, // cabinet aggregation (releases held lamp faults) period, wall ms
  FORECAST_CHECK_MS: 5000, // fill forecasts between readings, wall ms
  CITY_TIME_ZONE: 'Asia/Shanghai', // IANA zone of the city: streetlight schedules (dimming hours) are local
  MAPBOX_STYLE: 'mapbox://styles/mapbox/streets-v12', // dashboard map style when MAPBOX_TOKEN is set
  DEFAULT_LOCALE: 'zh-CN', // dashboard language before the operator picks one: zh-CN | en
  ROUTING_TRAVEL: 'street-graph', // route planning travel times: street-graph (base map) | straight-line | osrm
  ROUTING_OSRM_TIMEOUT_MS: 10_000, // per OSRM request, wall ms
  ROUTING_DETOUR_FACTOR: 1.3, // road / straight-line distance where there is no street path (straight-line estimates)
  ROUTING_AVERAGE_KMH: 25, // km/h: average speed for straight-line estimates
} as const;

export class ConfigException extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid server configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigException';
  }
}

/** An unset or empty variable counts as absent, so `FOO=` falls back to the default. */
const optionalString = () =>
  z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()) as unknown as z.ZodOptional<z.ZodString>;

const intSetting = (min: number, max: number, fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? String(fallback) : v),
    z
      .string()
      .regex(/^\d+$/, `must be an integer between ${min} and ${max}`)
      .transform(Number)
      .pipe(z.number().int().min(min, `must be >= ${min}`).max(max, `must be <= ${max}`)),
  );

const urlString = (protocols: RegExp, what: string) =>
  z.string().refine((v) => {
    try {
      return protocols.test(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be ${what}`);

const serverEnvSchema = z.object({
  PORT: intSetting(0, 65535, SERVER_DEFAULTS.PORT),
  HOST: optionalString().transform((v) => v ?? SERVER_DEFAULTS.HOST),
  DATA_DIR: optionalString().transform((v) => v ?? SERVER_DEFAULTS.DATA_DIR),
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    urlString(/^postgres(ql)?:$/, 'a postgres:// URL').optional(),
  ),
  ADMIN_PASSWORD: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(8, 'must be at least 8 characters').optional(),
  ),
  INTERNAL_TOKEN: z
    .string({ error: (iss) => (iss.input === undefined ? 'is required (shared secret with the gateways)' : 'must be a string') })
    .min(16, 'must be at least 16 characters'),
  GATEWAY_MQTT_URLS: optionalString()
    .transform((v) => (v ?? SERVER_DEFAULTS.GATEWAY_MQTT_URLS).split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(urlString(/^(mqtts?|wss?|tcp):$/, 'a list of mqtt:// URLs')).min(1, 'needs at least one URL')),
  SERVER_INSTANCE: z.preprocess(
    (v) => (v === '' || v === undefined ? SERVER_DEFAULTS.SERVER_INSTANCE : v),
    z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must match [A-Za-z0-9_-]{1,32}'),
  ),
  INFLUX_API: z.preprocess(
    (v) => (v === '' || v === undefined ? SERVER_DEFAULTS.INFLUX_API : String(v).replace(/^v/, '')),
    z.enum(['1', '2'], 'must be 1 or 2'),
  ),
  INFLUX_URL: z.preprocess(
    (v) => (v === '' || v === undefined ? SERVER_DEFAULTS.INFLUX_URL : v),
    urlString(/^https?:$/, 'an http(s):// URL'),
  ),
  INFLUX_DB: optionalString().transform((v) => v ?? SERVER_DEFAULTS.INFLUX_DB),
  INFLUX_RP: optionalString(),
  INFLUX_USER: optionalString(),
  INFLUX_PASSWORD: optionalString(),
  INFLUX_TOKEN: optionalString(),
  INFLUX_ORG: optionalString(),
  INFLUX_BUCKET: optionalString(),
  TOKEN_TTL_H: intSetting(1, 24 * 365, SERVER_DEFAULTS.TOKEN_TTL_H),
  LOG_LEVEL: z.preprocess(
    (v) => (v === '' || v === undefined ? SERVER_DEFAULTS.LOG_LEVEL : v),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be one of fatal|error|warn|info|debug|trace|silent'),
  ),
  LAST_SEEN_FLUSH_MS: intSetting(10, 60_000, SERVER_DEFAULTS.LAST_SEEN_FLUSH_MS),
  // Simulated time: now = CLOCK_START + (wall now − CLOCK_ANCHOR) × CLOCK_SPEED. Unset = wall clock.
  CLOCK_SPEED: intSetting(1, 100_000, SERVER_DEFAULTS.CLOCK_SPEED),
  SCHEDULER_TICK_MS: intSetting(0, 60_000, SERVER_DEFAULTS.SCHEDULER_TICK_MS),
  OFFLINE_CHECK_MS: intSetting(10, 3_600_000, SERVER_DEFAULTS.OFFLINE_CHECK_MS),
  CABINET_CHECK_MS: intSetting(10, 3_600_000, SERVER_DEFAULTS.CABINET_CHECK_MS),
  FORECAST_CHECK_MS: intSetting(10, 3_600_000, SERVER_DEFAULTS.FORECAST_CHECK_MS),
  CITY_TIME_ZONE: z.preprocess(
    (v) => (v === '' || v === undefined ? SERVER_DEFAULTS.CITY_TIME_ZONE : v),
    z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone, e.g. Asia/Shanghai'),
  ),
  // Dashboard: a Mapbox token switches the map to mapbox-gl; without one it draws the local base map.
  MAPBOX_TOKEN: optionalString().transform((v) => v ?? null),
  MAPBOX_STYLE: optionalString().transform((v) => v ?? SERVER_DEFAULTS.MAPBOX_STYLE),
  // Built dashboard (dashboard/dist) served at `/`; unset = the server serves only the API.
  DASHBOARD_DIR: optionalString(),
  DEFAULT_LOCALE: z.preprocess(
    (v) => (v === '' || v === undefined ? SERVER_DEFAULTS.DEFAULT_LOCALE : v),
    z.enum(['zh-CN', 'en'], 'must be zh-CN or en'),
  ),
  // Route planning: where travel times come from; `osrm` needs ROUTING_OSRM_URL (e.g. http://osrm:5000).
  ROUTING_TRAVEL: z.preprocess(
    (v) => (v === '' || v === undefined ? SERVER_DEFAULTS.ROUTING_TRAVEL : v),
    z.enum(['street-graph', 'straight-line', 'osrm'], 'must be street-graph, straight-line or osrm'),
  ),
  ROUTING_OSRM_URL: z.preprocess((v) => (v === '' ? undefined : v), urlString(/^https?:$/, 'an http(s):// URL').optional()),
  ROUTING_OSRM_TIMEOUT_MS: intSetting(100, 600_000, SERVER_DEFAULTS.ROUTING_OSRM_TIMEOUT_MS),
  ROUTING_DETOUR_FACTOR: z.preprocess(
    (v) => (v === undefined || v === '' ? String(SERVER_DEFAULTS.ROUTING_DETOUR_FACTOR) : v),
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a number between 1 and 3')
      .transform(Number)
      .pipe(z.number().min(1, 'must be >= 1').max(3, 'must be <= 3')),
  ),
  ROUTING_AVERAGE_KMH: intSetting(1, 130, SERVER_DEFAULTS.ROUTING_AVERAGE_KMH),
  CLOCK_START: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional()),
  CLOCK_ANCHOR: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional()),
});

export type ServerConfig = z.infer<typeof serverEnvSchema>;

/** Nest injection token for the parsed config. */
export const SERVER_CONFIG = Symbol('SERVER_CONFIG');

/**
 * Pure: parses an environment-like record, throws ConfigException naming every bad setting.
 * `parseServerConfig({ INTERNAL_TOKEN: '…' })` gives all defaults.
 */
export function parseServerConfig(env: Record<string, string | undefined>): ServerConfig {
  const result = serverEnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigException(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(env)');
        const raw = env[name];
        return `${name}: ${issue.message}${raw !== undefined && name !== 'INTERNAL_TOKEN' && name !== 'ADMIN_PASSWORD' ? ` (got "${raw}")` : ''}`;
      }),
    );
  }
  const config = result.data;
  if (config.INFLUX_API === '2' && !config.INFLUX_TOKEN) {
    throw new ConfigException(['INFLUX_TOKEN: is required when INFLUX_API=2']);
  }
  if (config.ROUTING_TRAVEL === 'osrm' && !config.ROUTING_OSRM_URL) {
    throw new ConfigException(['ROUTING_OSRM_URL: is required when ROUTING_TRAVEL=osrm']);
  }
  return config;
}

/** The process's configuration: the only place the server reads `process.env`. */
export function loadServerConfig(): ServerConfig {
  return parseServerConfig(process.env);
}
