/**
 * MQTT topic layout: `sanitation/v1/{kind}/{deviceId}/{channel}`.
 * Outside tools and firmware rely on this exact shape; change it only with a new version segment.
 */
export const TOPIC_ROOT = 'sanitation';
export const TOPIC_VERSION = 'v1';

export const DEVICE_KINDS = ['bin', 'toilet', 'septic', 'streetlight', 'truck'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const CHANNELS = ['telemetry', 'event', 'status', 'cmd', 'cmd/ack'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isDeviceKind(value: unknown): value is DeviceKind {
  return typeof value === 'string' && (DEVICE_KINDS as readonly string[]).includes(value);
}

export function isDeviceId(value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID_PATTERN.test(value);
}

export interface DeviceTopic {
  kind: DeviceKind;
  deviceId: string;
  channel: Channel;
}

export function deviceTopic(kind: DeviceKind, deviceId: string, channel: Channel): string {
  if (!isDeviceId(deviceId)) throw new Error(`invalid deviceId "${deviceId}"`);
  return `${TOPIC_ROOT}/${TOPIC_VERSION}/${kind}/${deviceId}/${channel}`;
}

/** Parses a concrete (wildcard-free) device topic; returns null for anything else. */
export function parseDeviceTopic(topic: string): DeviceTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 && parts.length !== 6) return null;
  const [root, version, kind, deviceId, ...rest] = parts;
  if (root !== TOPIC_ROOT || version !== TOPIC_VERSION) return null;
  if (!isDeviceKind(kind) || !isDeviceId(deviceId)) return null;
  const channel = rest.join('/');
  if (!(CHANNELS as readonly string[]).includes(channel)) return null;
  return { kind, deviceId, channel: channel as Channel };
}

/**
 * Internal topics between gateway and server. `$`-prefixed topics are not matched by
 * `#`/`+` wildcards [MQTT-4.7.2-1], and the gateway refuses them to device clients.
 */
export const INTERNAL_READINGS_TOPIC = '$internal/v1/readings';
/** Username prefix of service (non-device) MQTT clients; cannot collide with a deviceId. */
export const SERVICE_USERNAME_PREFIX = '$svc:';
