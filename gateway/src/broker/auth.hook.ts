import { timingSafeEqual } from 'node:crypto';
import type { AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import {
  deviceCommandAckSchema,
  deviceEventSchema,
  deviceStatusSchema,
  deviceTopic,
  parseDeviceTopic,
  SERVICE_USERNAME_PREFIX,
  type DeviceKind,
} from '@sanitation/contracts';
import { verifyDeviceSecret } from '@sanitation/contracts/credentials';
import type { Logger } from 'pino';
import type { CredentialCache } from '../credentials/credential-cache.js';
import type { IngestStats } from '../ingest/ingest-stats.js';
import type { IngestService } from '../ingest/ingest.service.js';
import { PublishRateLimiter } from './rate-limiter.js';

export type Identity =
  | { type: 'device'; deviceId: string; kind: DeviceKind }
  | { type: 'service'; name: string }
  /** Authentication disabled (development-only conformance listener). */
  | { type: 'anonymous' };

/**
 * Accepted messages that must not reach subscribers (raw telemetry, invalid status/event) are
 * re-pointed here before aedes routes them: `$` topics are never matched by wildcards
 * [MQTT-4.7.2-1] and nobody subscribes to this one, so this costs nothing and cannot leak.
 */
export const DISCARD_TOPIC = '$gateway/v1/discarded';

/** Delayed publishes a device may have waiting for rate-limit tokens before it is cut off. */
const MAX_RATE_BACKLOG = 100;

export interface AccessControlOptions {
  credentials: CredentialCache;
  ingest: IngestService;
  stats: IngestStats;
  internalToken: string;
  authDisabled: boolean;
  publishRatePerS: number;
  publishBurst: number;
  logger: Logger;
}

function refuse(message: string, returnCode: 2 | 3 | 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** aedes hooks for authentication and topic rules, plus the per-device publish rate limit. */
export class AccessControl {
  private readonly identities = new WeakMap<Client, Identity>();
  private readonly deviceConnections = new Map<string, Set<Client>>();
  private readonly limiter: PublishRateLimiter;
  private readonly tokenBuf: Buffer;

  constructor(private readonly opts: AccessControlOptions) {
    this.limiter = new PublishRateLimiter(opts.publishRatePerS, opts.publishBurst, MAX_RATE_BACKLOG);
    this.tokenBuf = Buffer.from(opts.internalToken, 'utf8');
  }

  /** Closes the live connections of devices whose access ended. */
  disconnectDevices(deviceIds: string[]): void {
    for (const id of deviceIds) {
      const clients = this.deviceConnections.get(id);
      if (!clients) continue;
      this.opts.logger.info({ deviceId: id, connections: clients.size }, 'device access ended; disconnecting');
      for (const c of clients) c.close();
    }
  }

  readonly authenticate = (
    client: Client,
    username: Readonly<string | undefined>,
    password: Readonly<Buffer | undefined>,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void => {
    if (this.opts.authDisabled) {
      this.identities.set(client, { type: 'anonymous' });
      return done(null, true);
    }
    if (!username || !password) return done(refuse('username and password are required', 4), false);
    if (username.startsWith(SERVICE_USERNAME_PREFIX)) {
      const ok = password.length === this.tokenBuf.length && timingSafeEqual(password, this.tokenBuf);
      if (!ok) return done(refuse('bad service credentials', 4), false);
      this.identities.set(client, { type: 'service', name: username.slice(SERVICE_USERNAME_PREFIX.length) });
      return done(null, true);
    }
    const { credentials } = this.opts;
    // Until the first sync nobody can be checked: "server unavailable" makes clients retry.
    if (!credentials.synced) return done(refuse('credentials not loaded yet', 3), false);
    const credential = credentials.get(username);
    // Unknown id and wrong secret answer alike, so the broker does not reveal which ids exist.
    if (!credential) return done(refuse('bad username or password', 4), false);
    if (credential.revoked) return done(refuse('device revoked', 5), false);
    if (!verifyDeviceSecret(password.toString('utf8'), credential.secretHash)) return done(refuse('bad username or password', 4), false);
    this.identities.set(client, { type: 'device', deviceId: credential.deviceId, kind: credential.kind });
    let set = this.deviceConnections.get(credential.deviceId);
    if (!set) {
      set = new Set();
      this.deviceConnections.set(credential.deviceId, set);
    }
    set.add(client);
    client.conn.once('close', () => {
      set.delete(client);
      if (set.size === 0 && this.deviceConnections.get(credential.deviceId) === set) {
        this.deviceConnections.delete(credential.deviceId);
        this.limiter.forget(credential.deviceId);
      }
    });
    done(null, true);
  };

  readonly authorizePublish = (client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void): void => {
    const topic = packet.topic;
    // $SYS is the broker's own; nobody publishes there [MQTT-4.7.2-1 spirit; aedes' default rule].
    if (topic.startsWith('$SYS')) return callback(new Error('$SYS topics are reserved'));
    if (!client) return callback(null); // a will restored from persistence (our persistence is memory-only)
    const identity = this.identities.get(client);
    if (!identity) return callback(new Error('not authenticated'));
    if (identity.type !== 'device') {
      const t = parseDeviceTopic(topic);
      if (t?.channel === 'telemetry') return this.ingestTelemetry(t.deviceId, t.kind, packet, callback);
      return callback(null);
    }
    // Devices: only under their own kind/id, never `$` topics, never `cmd` (that is ours to send).
    if (topic.charCodeAt(0) === 36) return callback(new Error(`device may not publish to ${topic}`));
    const t = parseDeviceTopic(topic);
    if (!t || t.deviceId !== identity.deviceId || t.kind !== identity.kind || t.channel === 'cmd') {
      return callback(new Error(`device ${identity.deviceId} may not publish to ${topic}`));
    }
    // A closed client here is aedes publishing its will: never delay or drop that.
    if (client.closed) return this.dispatch(identity, t.channel, packet, callback);
    const decision = this.limiter.take(identity.deviceId);
    if (decision.kind === 'now') return this.dispatch(identity, t.channel, packet, callback);
    // Counted apart from rejections: a delayed publish is still stored, and a cut-off client's
    // unacked publishes come back after it reconnects.
    if (decision.kind === 'overflow') {
      this.opts.stats.rateLimitedDisconnected += 1;
      return callback(new Error(`device ${identity.deviceId} exceeded its publish rate backlog`));
    }
    this.opts.stats.rateLimitedDelayed += 1;
    setTimeout(() => {
      this.limiter.release(identity.deviceId);
      if (client.closed) return callback(new Error('connection closed'));
      this.dispatch(identity, t.channel, packet, callback);
    }, decision.ms);
  };

  private dispatch(
    identity: Extract<Identity, { type: 'device' }>,
    channel: string,
    packet: PublishPacket,
    callback: (error?: Error | null) => void,
  ): void {
    switch (channel) {
      case 'telemetry':
        return this.ingestTelemetry(identity.deviceId, identity.kind, packet, callback);
      case 'status': {
        const text = packet.payload.toString();
        if (!deviceStatusSchema.safeParse(text).success) return this.discard(packet, callback);
        return callback(null);
      }
      case 'event':
      case 'cmd/ack': {
        const schema = channel === 'event' ? deviceEventSchema : deviceCommandAckSchema;
        let ok = false;
        try {
          ok = schema.safeParse(JSON.parse(packet.payload.toString())).success;
        } catch {
          ok = false;
        }
        return ok ? callback(null) : this.discard(packet, callback);
      }
      default:
        return callback(new Error(`channel ${channel} not publishable`));
    }
  }

  /** Acked but not delivered: MQTT 3.1.1 cannot NACK a publish, and a disconnect would loop. */
  private discard(packet: PublishPacket, callback: (error?: Error | null) => void): void {
    this.opts.stats.invalidMessages += 1;
    packet.topic = DISCARD_TOPIC;
    packet.retain = false;
    callback(null);
  }

  private ingestTelemetry(deviceId: string, kind: DeviceKind, packet: PublishPacket, callback: (error?: Error | null) => void): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    // Raw telemetry is not forwarded: the server gets the validated batch on $internal/v1/readings.
    packet.topic = DISCARD_TOPIC;
    packet.retain = false;
    this.opts.ingest.handleTelemetry(deviceId, kind, payload, callback);
  }

  readonly authorizeSubscribe = (
    client: Client,
    sub: Subscription,
    callback: (error: Error | null, subscription?: Subscription | null) => void,
  ): void => {
    const identity = this.identities.get(client);
    if (!identity) return callback(new Error('not authenticated'));
    if (identity.type !== 'device') return callback(null, sub);
    // A device may subscribe only to its own command topic; anything else gets SUBACK 0x80.
    if (sub.topic === deviceTopic(identity.kind, identity.deviceId, 'cmd')) return callback(null, sub);
    return callback(null, null);
  };
}
