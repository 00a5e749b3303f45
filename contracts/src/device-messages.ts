import { z } from 'zod';

/** Retained on `.../status`; the will message is `offline`. */
export const DEVICE_STATUS = ['online', 'offline'] as const;
export type DeviceStatus = (typeof DEVICE_STATUS)[number];
export const deviceStatusSchema = z.enum(DEVICE_STATUS);

/** `.../event`: something a device noticed itself (door opened, reboot, self-test failure). */
export const deviceEventSchema = z.object({
  ts: z.number().int().min(0),
  type: z.string().min(1).max(64),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type DeviceEvent = z.infer<typeof deviceEventSchema>;

/** `.../cmd`: a command to a device. Streetlights understand on/off/dim; all kinds understand ping. */
export const deviceCommandSchema = z.discriminatedUnion('action', [
  z.object({ cmdId: z.string().min(1).max(64), action: z.literal('on') }),
  z.object({ cmdId: z.string().min(1).max(64), action: z.literal('off') }),
  z.object({ cmdId: z.string().min(1).max(64), action: z.literal('dim'), dimPct: z.number().min(0).max(100) }),
  z.object({ cmdId: z.string().min(1).max(64), action: z.literal('ping') }),
]);
export type DeviceCommand = z.infer<typeof deviceCommandSchema>;

/** `.../cmd/ack`: the device's answer to a command. */
export const deviceCommandAckSchema = z.object({
  cmdId: z.string().min(1).max(64),
  ok: z.boolean(),
  ts: z.number().int().min(0),
  error: z.string().max(256).optional(),
});
export type DeviceCommandAck = z.infer<typeof deviceCommandAckSchema>;
