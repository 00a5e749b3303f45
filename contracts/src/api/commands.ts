import { z } from 'zod';

/** Wire shapes of the device command API (`/api/devices/:id/commands`). */
export const COMMAND_ACTIONS = ['on', 'off', 'dim', 'ping'] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];
export const COMMAND_STATUSES = ['sent', 'acked', 'failed', 'timeout'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** Actions each device kind understands (see deviceCommandSchema: lamps on/off/dim, all ping). */
export const STREETLIGHT_ONLY_ACTIONS: readonly CommandAction[] = ['on', 'off', 'dim'];

/** POST /api/devices/:id/commands. dimPct is required for dim and refused for anything else. */
export const sendCommandSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('on') }),
  z.strictObject({ action: z.literal('off') }),
  z.strictObject({ action: z.literal('dim'), dimPct: z.number().min(0).max(100) }),
  z.strictObject({ action: z.literal('ping') }),
]);
export type SendCommandRequest = z.infer<typeof sendCommandSchema>;

export const listCommandsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListCommandsQuery = z.infer<typeof listCommandsQuerySchema>;

export interface DeviceCommandRecord {
  cmdId: string;
  deviceId: string;
  action: CommandAction;
  dimPct: number | null;
  status: CommandStatus;
  requestedBy: string;
  /** ISO, server clock. */
  sentAt: string;
  /** ISO, server clock when the ack arrived; null while sent or after a timeout. */
  ackedAt: string | null;
  /** The ack's ts (device clock, epoch ms). */
  deviceTs: number | null;
  /** The device's error text for 'failed'; the delivery error when no gateway took it. */
  error: string | null;
}

export interface DeviceCommandList {
  items: DeviceCommandRecord[];
  total: number;
}
