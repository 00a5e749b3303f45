import { z } from 'zod';
import type { Alarm, Job } from './api/dispatch.js';
import type { OffRouteEvent, PlanChangedEvent, PlanProgressEvent } from './api/routing.js';
import type { DeviceKind } from './topics.js';
import type { ReadingValues } from './telemetry.js';

/**
 * The live stream for dashboards: socket.io namespace LIVE_NAMESPACE, authenticated with the
 * operator's bearer token in the handshake (`auth: { token }`). A client receives nothing until
 * it subscribes to an area (map viewport and/or zones); it then receives only what lies inside.
 */
export const LIVE_NAMESPACE = '/live';
/** socket.io path (the HTTP server also serves `/api`). */
export const LIVE_PATH = '/socket.io';

/** [west, south, east, north] in degrees. */
const bbox = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .refine(([w, s, e, n]) => w <= e && s <= n, 'must be [west, south, east, north] with west ≤ east and south ≤ north');

export const liveSubscriptionSchema = z
  .object({
    bbox: bbox.optional(),
    zones: z.array(z.string().min(1).max(64)).max(500).optional(),
    /** Most truck positions per second this client wants (coalesced per truck); capped by the server. */
    maxTruckRatePerS: z.number().positive().max(50).optional(),
  })
  .refine((s) => s.bbox !== undefined || (s.zones !== undefined && s.zones.length > 0), 'give a bbox or at least one zone');
export type LiveSubscription = z.infer<typeof liveSubscriptionSchema>;

export interface DeviceStateEvent {
  deviceId: string;
  kind: DeviceKind;
  zone: string | null;
  lat: number;
  lon: number;
  /** Reading time, epoch ms. */
  ts: number;
  values: ReadingValues;
  online: boolean;
}

export interface TruckPositionEvent {
  deviceId: string;
  vehicleId: string | null;
  lat: number;
  lon: number;
  speedKmh: number | null;
  headingDeg: number | null;
  loadKg: number | null;
  ts: number;
}

export type SubscribeAck = { ok: true; subscription: LiveSubscription } | { ok: false; error: string };

/** Server → client. */
export interface LiveServerEvents {
  'device:state': (events: DeviceStateEvent[]) => void;
  'truck:position': (events: TruckPositionEvent[]) => void;
  'alarm:changed': (alarm: Alarm) => void;
  'job:changed': (job: Job) => void;
  'plan:changed': (event: PlanChangedEvent) => void;
  'plan:progress': (event: PlanProgressEvent) => void;
  'plan:off-route': (event: OffRouteEvent) => void;
}

/** Client → server. */
export interface LiveClientEvents {
  subscribe: (subscription: LiveSubscription, ack: (result: SubscribeAck) => void) => void;
  unsubscribe: () => void;
}
