import { z } from 'zod';
import { parseDuration, parseFaultList } from '../faults/fault.types.js';
import { SimError, SimErrorCode } from '../shared/sim.exception.js';
import { SIM_DEFAULTS, type SimulationOptions } from '../simulation.options.js';

/**
 * The simulator's only reader of `process.env`. CLI flags win over the environment; everything is
 * validated once with zod and a bad value stops the process with a message naming the flag.
 */
export const ENV_VARS = {
  serverUrl: 'SIM_SERVER_URL',
  mqttUrl: 'SIM_MQTT_URL',
  adminPassword: 'ADMIN_PASSWORD',
  crewPassword: 'SIM_CREW_PASSWORD',
} as const;

export interface RunFlags {
  server?: string;
  mqtt?: string;
  adminUser?: string;
  adminPassword?: string;
  devices?: string;
  seed?: string;
  speed?: string;
  start?: string;
  duration?: string;
  faults?: string;
  statsOut?: string;
  credentials?: string;
  connectRate?: string;
  bufferSize?: string;
  drainTimeout?: string;
  clockAnchor?: string;
  collectAt?: string;
  pumpAt?: string;
  crewPassword?: string;
  fleet?: boolean;
  followJobs?: boolean;
  progress?: boolean;
}

const int = (flag: string, min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, `${flag} must be an integer`)
    .transform(Number)
    .refine((v) => v >= min && v <= max, `${flag} must be between ${min} and ${max}`);
const positive = (flag: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `${flag} must be a positive number`)
    .transform(Number)
    .refine((v) => v > 0, `${flag} must be > 0`);
const url = (flag: string, protocols: string[]) =>
  z
    .string()
    .url(`${flag} must be a URL`)
    .refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), `${flag} must use ${protocols.join(' or ')}`);
const duration = (flag: string) =>
  z.string().transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === null || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `${flag} must look like 90s, 15m, 6h or 1d` });
      return z.NEVER;
    }
    return ms;
  });

const runFlagsSchema = z.object({
  server: url('--server', ['http:', 'https:']).default(SIM_DEFAULTS.serverUrl),
  mqtt: url('--mqtt', ['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']).default(SIM_DEFAULTS.mqttUrl),
  adminUser: z.string().min(1, '--admin-user must not be empty').default(SIM_DEFAULTS.adminUser),
  adminPassword: z.string().min(1, '--admin-password must not be empty').optional(),
  devices: int('--devices', 1, 100_000).default(SIM_DEFAULTS.devices),
  seed: int('--seed', -2_147_483_648, 2_147_483_647).default(SIM_DEFAULTS.seed),
  speed: positive('--speed').default(SIM_DEFAULTS.speed),
  start: z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), '--start must be an ISO 8601 date-time, e.g. 2026-06-01T00:00:00+08:00')
    .transform((v) => Date.parse(v))
    .optional(),
  duration: duration('--duration').optional(),
  faults: z
    .string()
    .transform((v, ctx) => {
      try {
        return parseFaultList(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `--faults: ${(err as Error).message}` });
        return z.NEVER;
      }
    })
    .default([]),
  statsOut: z.string().min(1).optional(),
  credentials: z.string().min(1).optional(),
  connectRate: positive('--connect-rate').default(SIM_DEFAULTS.connectRate),
  bufferSize: int('--buffer-size', 1, 1_000_000).default(SIM_DEFAULTS.bufferSize),
  drainTimeout: duration('--drain-timeout').default(SIM_DEFAULTS.drainTimeoutMs),
  clockAnchor: int('--clock-anchor', 0, Number.MAX_SAFE_INTEGER).optional(),
  collectAt: int('--collect-at', 0, 100).default(SIM_DEFAULTS.collectAtPct),
  pumpAt: int('--pump-at', 0, 100).default(SIM_DEFAULTS.pumpAtPct),
  crewPassword: z.string().min(8, '--crew-password must have at least 8 characters').optional(),
  fleet: z.boolean().default(SIM_DEFAULTS.registerFleet),
  // The CLI runs the demo: trucks follow the server's dispatch unless told not to.
  followJobs: z.boolean().default(true),
  progress: z.boolean().optional(),
});

export interface RunConfig {
  simulation: SimulationOptions;
  statsOut: string | undefined;
  drainTimeoutMs: number;
  progress: boolean | undefined;
}

/** Merges flags over environment variables and validates the lot. */
export function loadRunConfig(flags: RunFlags, env: NodeJS.ProcessEnv = process.env): RunConfig {
  const merged = {
    ...flags,
    server: flags.server ?? env[ENV_VARS.serverUrl],
    mqtt: flags.mqtt ?? env[ENV_VARS.mqttUrl],
    adminPassword: flags.adminPassword ?? env[ENV_VARS.adminPassword],
    crewPassword: flags.crewPassword ?? env[ENV_VARS.crewPassword],
  };
  const parsed = runFlagsSchema.safeParse(Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new SimError(SimErrorCode.InvalidConfig, issue.message.startsWith('--') ? issue.message : `${flag}: ${issue.message}`);
  }
  const c = parsed.data;
  return {
    simulation: {
      serverUrl: c.server,
      mqttUrl: c.mqtt,
      adminUser: c.adminUser,
      ...(c.adminPassword ? { adminPassword: c.adminPassword } : {}),
      devices: c.devices,
      seed: c.seed,
      speed: c.speed,
      ...(c.start !== undefined ? { start: c.start } : {}),
      ...(c.duration !== undefined ? { durationMs: c.duration } : {}),
      faults: c.faults,
      ...(c.credentials ? { credentialsFile: c.credentials } : {}),
      connectRate: c.connectRate,
      bufferSize: c.bufferSize,
      drainTimeoutMs: c.drainTimeout,
      ...(c.clockAnchor !== undefined ? { clockAnchor: c.clockAnchor } : {}),
      collectAtPct: c.collectAt,
      pumpAtPct: c.pumpAt,
      ...(c.crewPassword ? { crewPassword: c.crewPassword } : {}),
      registerFleet: c.fleet,
      // Following jobs reads them with the admin login: without one the trucks choose themselves.
      followJobs: c.followJobs && c.adminPassword !== undefined,
    },
    statsOut: c.statsOut,
    drainTimeoutMs: c.drainTimeout,
    progress: c.progress,
  };
}

export interface CityFlags {
  seed?: string;
  devices?: string;
  out?: string;
}

export function loadCityConfig(flags: CityFlags): { seed: number; devices: number; out: string | undefined } {
  const schema = z.object({
    seed: int('--seed', -2_147_483_648, 2_147_483_647).default(SIM_DEFAULTS.seed),
    devices: int('--devices', 1, 100_000).default(SIM_DEFAULTS.devices),
    out: z.string().min(1).optional(),
  });
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)));
  if (!parsed.success) throw new SimError(SimErrorCode.InvalidConfig, parsed.error.issues[0]!.message);
  return { seed: parsed.data.seed, devices: parsed.data.devices, out: parsed.data.out };
}
