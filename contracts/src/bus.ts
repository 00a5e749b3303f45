import { z } from 'zod';
import { DEVICE_KINDS } from './topics.js';

/**
 * A reading the gateway accepted, validated and durably spooled, as handed to the core
 * server on INTERNAL_READINGS_TOPIC. `values` holds only the kind's known fields.
 */
export const acceptedReadingSchema = z.object({
  deviceId: z.string(),
  kind: z.enum(DEVICE_KINDS),
  zone: z.string().optional(),
  ts: z.number().int(),
  seq: z.number().int().min(0),
  values: z.record(z.string(), z.union([z.number(), z.boolean()])),
  /** Gateway clock when the reading was accepted (epoch ms). */
  receivedAt: z.number().int(),
});
export type AcceptedReading = z.infer<typeof acceptedReadingSchema>;

export const readingsBatchSchema = z.object({
  gatewayId: z.string(),
  readings: z.array(acceptedReadingSchema),
});
export type ReadingsBatch = z.infer<typeof readingsBatchSchema>;
